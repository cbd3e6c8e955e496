package io.github.djlseq2seq.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands: what a checkpoint records besides parameters and optimizer moments, so that a
 * resumed run replays the same data order and random numbers.
 */
public final class TrainingState {

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /** Optimizer steps taken. */
    public int step;

    /** The epoch in progress (0-based). */
    public int epoch;

    /** Batches of {@link #epoch} already consumed. */
    public int batchInEpoch;

    /** Wall-clock seconds spent training so far, over all resumed segments. */
    public double elapsedSeconds;

    /** Target (non-PAD) tokens seen. */
    public long targetTokens;

    /**
     * Batches skipped because their loss or gradient norm was NaN or infinite (see {@link
     * TrainingSettings#getMaxSkippedBatches()}).
     */
    public int skippedBatches;

    /** The best value so far of the metric that selects the best checkpoint, or NaN. */
    public double bestScore = Double.NaN;

    /** The parameter names of the saved optimizer moments, in file order. */
    public List<String> optimizerIds = new ArrayList<>();

    /**
     * Serialises to JSON.
     *
     * @return the JSON text
     */
    public String toJson() {
        return GSON.toJson(this);
    }

    /**
     * Parses JSON written by {@link #toJson()}.
     *
     * @param json the JSON text
     * @return the state
     */
    public static TrainingState fromJson(String json) {
        TrainingState state = GSON.fromJson(json, TrainingState.class);
        if (state == null
                || state.step < 0
                || state.epoch < 0
                || state.batchInEpoch < 0
                || state.skippedBatches < 0) {
            throw new IllegalArgumentException("Invalid training state: " + json);
        }
        return state;
    }
}
