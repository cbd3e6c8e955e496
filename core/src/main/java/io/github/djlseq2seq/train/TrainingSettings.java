package io.github.djlseq2seq.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.djlseq2seq.precision.Precision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The immutable knobs of a training run: budget, optimisation, regularisation, logging and
 * checkpoints. Built with {@link #builder()}; {@link Builder#build()} rejects bad values by name.
 *
 * <p>The settings remember which values were set on the builder: a resumed run takes the others
 * from the run's own record ({@link #toJson()}, in {@code training.json}).
 */
public final class TrainingSettings {

    /**
     * The settings a resumed run cannot change: they shape the optimisation itself, so changing
     * them would not continue the run but start another one from its parameters.
     */
    static final Set<String> FIXED_ON_RESUME =
            Set.of(
                    "peakLearningRate",
                    "warmupSteps",
                    "decay",
                    "clipNorm",
                    "labelSmoothing",
                    "seed",
                    "updateFreq");

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final int maxEpochs;
    private final int maxSteps;
    private final double maxMinutes;
    private final float peakLearningRate;
    private final int warmupSteps;
    private final Decay decay;
    private final float clipNorm;
    private final float labelSmoothing;
    private final long seed;
    private final int logEvery;
    private final int checkpointEvery;
    private final int keepCheckpoints;
    private final int maxSkippedBatches;
    private final Precision precision;
    private final int updateFreq;
    private final transient Set<String> given;

    private TrainingSettings(Builder b) {
        maxEpochs = b.maxEpochs;
        maxSteps = b.maxSteps;
        maxMinutes = b.maxMinutes;
        peakLearningRate = b.peakLearningRate;
        warmupSteps = b.warmupSteps;
        decay = b.decay;
        clipNorm = b.clipNorm;
        labelSmoothing = b.labelSmoothing;
        seed = b.seed;
        logEvery = b.logEvery;
        checkpointEvery = b.checkpointEvery;
        keepCheckpoints = b.keepCheckpoints;
        maxSkippedBatches = b.maxSkippedBatches;
        precision = b.precision;
        updateFreq = b.updateFreq;
        given = Collections.unmodifiableSet(new LinkedHashSet<>(b.given));
    }

    /**
     * Creates a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the precision of the model's matrix products, as requested (the run falls back to
     *     fp32 where the device has no native bf16)
     */
    public Precision getPrecision() {
        return precision;
    }

    /**
     * @return the most epochs to run
     */
    public int getMaxEpochs() {
        return maxEpochs;
    }

    /**
     * @return the most optimizer steps to run, 0 for no limit
     */
    public int getMaxSteps() {
        return maxSteps;
    }

    /**
     * @return the wall-clock budget in minutes (resumed runs included), 0 for no limit
     */
    public double getMaxMinutes() {
        return maxMinutes;
    }

    /**
     * @return the learning rate reached at the end of warmup
     */
    public float getPeakLearningRate() {
        return peakLearningRate;
    }

    /**
     * @return the number of warmup steps
     */
    public int getWarmupSteps() {
        return warmupSteps;
    }

    /**
     * @return the global gradient-norm limit, 0 for no clipping
     */
    public float getClipNorm() {
        return clipNorm;
    }

    /**
     * @return the label smoothing ε
     */
    public float getLabelSmoothing() {
        return labelSmoothing;
    }

    /**
     * @return the seed of every random choice of the run
     */
    public long getSeed() {
        return seed;
    }

    /**
     * @return the number of steps between log lines
     */
    public int getLogEvery() {
        return logEvery;
    }

    /**
     * @return the number of steps between checkpoints, 0 for epoch ends only
     */
    public int getCheckpointEvery() {
        return checkpointEvery;
    }

    /**
     * @return how many of the latest checkpoints to keep (the best is kept apart)
     */
    public int getKeepCheckpoints() {
        return keepCheckpoints;
    }

    /**
     * @return how many batches whose loss or gradient norm is NaN or infinite a run may skip before
     *     it stops; 0 stops at the first
     */
    public int getMaxSkippedBatches() {
        return maxSkippedBatches;
    }

    /**
     * @return how many batches one optimizer step accumulates gradients over (1: every batch is a
     *     step)
     */
    public int getUpdateFreq() {
        return updateFreq;
    }

    /**
     * @return how the learning rate falls after warmup
     */
    public Decay getDecay() {
        return decay;
    }

    /**
     * Serialises the settings to JSON, one key per setting (the names of the builder's {@code opt}
     * methods without {@code opt}, first letter in lower case).
     *
     * @return the JSON text
     */
    public String toJson() {
        return GSON.toJson(tree());
    }

    /**
     * Parses settings written by {@link #toJson()}; keys that are absent take the defaults.
     *
     * @param json the JSON text
     * @return the settings, validated as {@link Builder#build()} validates them; none counts as set
     * @throws IllegalArgumentException if the JSON is malformed or a value is bad
     */
    public static TrainingSettings fromJson(String json) {
        JsonObject merged = builder().build().tree();
        try {
            JsonElement parsed = JsonParser.parseString(json);
            if (!parsed.isJsonObject()) {
                throw new IllegalArgumentException("training settings must be a JSON object");
            }
            for (Map.Entry<String, JsonElement> e : parsed.getAsJsonObject().entrySet()) {
                if (!merged.has(e.getKey())) {
                    throw new IllegalArgumentException("unknown training setting " + e.getKey());
                }
                merged.add(e.getKey(), e.getValue());
            }
            TrainingSettings read = GSON.fromJson(merged, TrainingSettings.class);
            if (read.precision == null) { // Gson reads a name it does not know as null
                throw new IllegalArgumentException(
                        "unknown precision " + merged.get("precision") + ": expected FP32 or BF16");
            }
            return read.copy(new Builder()).build();
        } catch (JsonParseException | NumberFormatException e) {
            throw new IllegalArgumentException("malformed training settings: " + e.getMessage(), e);
        }
    }

    /**
     * The settings of a resumed run: those recorded, with the values set on this one's builder.
     *
     * @param recorded the run's recorded settings
     * @param file the record's name for messages, e.g. {@code training.json}
     * @param conflicts receives a conflict for each set value of {@link #FIXED_ON_RESUME} that
     *     differs from the recorded one
     * @return the merged settings
     */
    TrainingSettings resumedFrom(
            TrainingSettings recorded,
            String file,
            List<ResumeConflictException.Conflict> conflicts) {
        JsonObject mine = tree();
        JsonObject merged = recorded.tree();
        List<String> fixed = new ArrayList<>(given);
        fixed.retainAll(FIXED_ON_RESUME);
        conflicts.addAll(ResumeConflictException.compare(mine, merged, fixed, file));
        for (String key : given) {
            merged.add(key, mine.get(key));
        }
        return GSON.fromJson(merged, TrainingSettings.class).copy(new Builder()).build();
    }

    /**
     * The names of the values set on the builder.
     *
     * @return the set names, e.g. {@code maxSteps}
     */
    Set<String> given() {
        return given;
    }

    private JsonObject tree() {
        return GSON.toJsonTree(this).getAsJsonObject();
    }

    /** Copies every value into a builder, none of them counting as set. */
    private Builder copy(Builder b) {
        b.maxEpochs = maxEpochs;
        b.maxSteps = maxSteps;
        b.maxMinutes = maxMinutes;
        b.peakLearningRate = peakLearningRate;
        b.warmupSteps = warmupSteps;
        b.decay = decay;
        b.clipNorm = clipNorm;
        b.labelSmoothing = labelSmoothing;
        b.seed = seed;
        b.logEvery = logEvery;
        b.checkpointEvery = checkpointEvery;
        b.keepCheckpoints = keepCheckpoints;
        b.maxSkippedBatches = maxSkippedBatches;
        b.precision = precision == null ? Precision.FP32 : precision; // older records: fp32
        b.updateFreq = updateFreq;
        return b;
    }

    /** How the learning rate falls after warmup. */
    public enum Decay {
        /** With the inverse square root of the step ({@link InverseSqrtSchedule}), open-ended. */
        INVERSE_SQRT,
        /** Linearly to zero at the end of the step or time budget ({@link BudgetSchedule}). */
        LINEAR_TO_BUDGET
    }

    /** Builds {@link TrainingSettings}. */
    public static final class Builder {
        private int maxEpochs = 1000;
        private int maxSteps;
        private double maxMinutes;
        private float peakLearningRate = 7e-4f;
        private int warmupSteps = 4000;
        private Decay decay = Decay.INVERSE_SQRT;
        private float clipNorm = 1f;
        private float labelSmoothing = 0.1f;
        private long seed = 42;
        private int logEvery = 50;
        private int checkpointEvery;
        private int keepCheckpoints = 2;
        private int maxSkippedBatches;
        private Precision precision = Precision.FP32;
        private int updateFreq = 1;
        private final Set<String> given = new LinkedHashSet<>();

        Builder() {}

        /**
         * Sets the most epochs (default 1000).
         *
         * @param epochs the epochs
         * @return this builder
         */
        public Builder optMaxEpochs(int epochs) {
            given.add("maxEpochs");
            maxEpochs = epochs;
            return this;
        }

        /**
         * Sets the most optimizer steps (default 0, no limit).
         *
         * @param steps the steps
         * @return this builder
         */
        public Builder optMaxSteps(int steps) {
            given.add("maxSteps");
            maxSteps = steps;
            return this;
        }

        /**
         * Sets the wall-clock budget (default 0, no limit).
         *
         * @param minutes the minutes
         * @return this builder
         */
        public Builder optMaxMinutes(double minutes) {
            given.add("maxMinutes");
            maxMinutes = minutes;
            return this;
        }

        /**
         * Sets the peak learning rate (default 7e-4).
         *
         * @param lr the learning rate
         * @return this builder
         */
        public Builder optPeakLearningRate(float lr) {
            given.add("peakLearningRate");
            peakLearningRate = lr;
            return this;
        }

        /**
         * Sets the warmup steps (default 4000).
         *
         * @param steps the steps
         * @return this builder
         */
        public Builder optWarmupSteps(int steps) {
            given.add("warmupSteps");
            warmupSteps = steps;
            return this;
        }

        /**
         * Sets the global gradient-norm limit (default 1, 0 disables).
         *
         * @param norm the limit
         * @return this builder
         */
        public Builder optClipNorm(float norm) {
            given.add("clipNorm");
            clipNorm = norm;
            return this;
        }

        /**
         * Sets the label smoothing ε (default 0.1).
         *
         * @param epsilon the smoothing
         * @return this builder
         */
        public Builder optLabelSmoothing(float epsilon) {
            given.add("labelSmoothing");
            labelSmoothing = epsilon;
            return this;
        }

        /**
         * Sets the seed (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            given.add("seed");
            this.seed = seed;
            return this;
        }

        /**
         * Sets the steps between log lines (default 50).
         *
         * @param steps the steps
         * @return this builder
         */
        public Builder optLogEvery(int steps) {
            given.add("logEvery");
            logEvery = steps;
            return this;
        }

        /**
         * Sets the steps between checkpoints (default 0: at epoch ends and at the end only).
         *
         * @param steps the steps
         * @return this builder
         */
        public Builder optCheckpointEvery(int steps) {
            given.add("checkpointEvery");
            checkpointEvery = steps;
            return this;
        }

        /**
         * Sets how many recent checkpoints to keep (default 2).
         *
         * @param count the count
         * @return this builder
         */
        public Builder optKeepCheckpoints(int count) {
            given.add("keepCheckpoints");
            keepCheckpoints = count;
            return this;
        }

        /**
         * Sets how many batches with a NaN or infinite loss or gradient norm a run may skip, over
         * all its resumed segments (default 0: the first one stops training with {@link
         * TrainingDivergedException}). A skipped batch changes neither the parameters nor Adam's
         * moments and is not counted as a step; it is logged and counted in {@link
         * TrainingState#skippedBatches}. One more than this many stops training.
         *
         * @param count the most batches to skip, 0 or more
         * @return this builder
         */
        public Builder optMaxSkippedBatches(int count) {
            given.add("maxSkippedBatches");
            maxSkippedBatches = count;
            return this;
        }

        /**
         * Sets the precision of the model's matrix products (default {@link Precision#FP32}).
         * {@link Seq2SeqTraining} builds the model in it, falling back to fp32 with a logged note
         * where the device has no native bf16; parameters, Adam moments, softmax, LayerNorm and the
         * loss stay fp32 either way, so a resumed run may change it. ({@link TrainingLoop} trains
         * the block as it was built.)
         *
         * @param precision the precision
         * @return this builder
         */
        public Builder optPrecision(Precision precision) {
            given.add("precision");
            this.precision = precision;
            return this;
        }

        /**
         * Sets how many batches (micro-batches) one optimizer step accumulates gradients over, as
         * fairseq's {@code --update-freq} (default 1). The step's loss is the sum of the token
         * losses of all its micro-batches divided by all their target tokens, so N micro-batches
         * give the update one batch of their concatenation would give; clipping and the NaN check
         * see the accumulated gradient, and steps count optimizer updates. A run cannot change it
         * on resume.
         *
         * @param count the micro-batches per optimizer step, 1 or more
         * @return this builder
         */
        public Builder optUpdateFreq(int count) {
            given.add("updateFreq");
            updateFreq = count;
            return this;
        }

        /**
         * Sets how the learning rate falls after warmup (default {@link Decay#INVERSE_SQRT});
         * {@link Decay#LINEAR_TO_BUDGET} needs a step or time budget.
         *
         * @param decay the decay
         * @return this builder
         */
        public Builder optDecay(Decay decay) {
            given.add("decay");
            this.decay = decay;
            return this;
        }

        /**
         * Validates and builds the settings.
         *
         * @return the settings
         */
        public TrainingSettings build() {
            check(maxEpochs > 0, "maxEpochs must be positive, got " + maxEpochs);
            check(maxSteps >= 0, "maxSteps must be ≥ 0, got " + maxSteps);
            check(maxMinutes >= 0, "maxMinutes must be ≥ 0, got " + maxMinutes);
            check(peakLearningRate > 0, "peakLearningRate must be positive");
            check(warmupSteps > 0, "warmupSteps must be positive, got " + warmupSteps);
            check(decay != null, "decay must be set");
            check(
                    decay != Decay.LINEAR_TO_BUDGET || maxSteps > 0 || maxMinutes > 0,
                    "decay LINEAR_TO_BUDGET needs a step or time budget (maxSteps or maxMinutes)");
            check(clipNorm >= 0, "clipNorm must be ≥ 0, got " + clipNorm);
            check(
                    labelSmoothing >= 0 && labelSmoothing < 1,
                    "labelSmoothing must be in [0, 1), got " + labelSmoothing);
            check(logEvery > 0, "logEvery must be positive, got " + logEvery);
            check(checkpointEvery >= 0, "checkpointEvery must be ≥ 0, got " + checkpointEvery);
            check(keepCheckpoints > 0, "keepCheckpoints must be positive, got " + keepCheckpoints);
            check(
                    maxSkippedBatches >= 0,
                    "maxSkippedBatches must be ≥ 0, got " + maxSkippedBatches);
            check(precision != null, "precision must be set");
            check(updateFreq > 0, "updateFreq must be positive, got " + updateFreq);
            return new TrainingSettings(this);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
