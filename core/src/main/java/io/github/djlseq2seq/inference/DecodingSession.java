package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.IncrementalState;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;

/**
 * The model side of one decode call: the encoded batch and the decoder's state, fed one token per
 * row and step. Its N rows are sentences (greedy) or sentences × beams (beam search); {@link
 * #select} reorders or drops them.
 *
 * <p>Incremental, each step feeds only the new tokens through the decoder's {@link
 * IncrementalState}; otherwise it feeds the whole growing prefix, as {@link
 * Seq2SeqTransformer#decode} would. Every array it keeps belongs to the decode call's manager;
 * every array of a step, to the manager of the tokens that step feeds.
 */
final class DecodingSession {

    private final Seq2SeqTransformer model;
    private final ParameterStore ps;
    private final NDManager manager;
    private final IncrementalState state; // null: recompute the prefix
    private final NDArray banned; // [V]: -inf for PAD and START, never an output
    private final boolean renormalize;
    private final int[] sourceLengths;
    private NDArray sourceIds; // [N, S]
    private NDArray memory; // [N, S, D]
    private NDArray prefix; // [N, t], recomputing only

    /**
     * Encodes a batch.
     *
     * @param model the model
     * @param ps its parameter store
     * @param manager the decode call's manager, which owns what the session keeps
     * @param sourceIds the source ids {@code [B, S]}
     * @param incremental whether to cache keys and values
     */
    DecodingSession(
            Seq2SeqTransformer model,
            ParameterStore ps,
            NDManager manager,
            NDArray sourceIds,
            boolean incremental) {
        this(model, ps, manager, sourceIds, incremental, false);
    }

    /**
     * Encodes a batch, with the cache and renormalisation the options choose.
     *
     * @param model the model
     * @param ps its parameter store
     * @param manager the decode call's manager, which owns what the session keeps
     * @param sourceIds the source ids {@code [B, S]}
     * @param options {@link DecodingOptions#isIncremental} and {@link
     *     DecodingOptions#isRenormalize}
     */
    DecodingSession(
            Seq2SeqTransformer model,
            ParameterStore ps,
            NDManager manager,
            NDArray sourceIds,
            DecodingOptions options) {
        this(model, ps, manager, sourceIds, options.isIncremental(), options.isRenormalize());
    }

    /**
     * Encodes a batch.
     *
     * @param model the model
     * @param ps its parameter store
     * @param manager the decode call's manager, which owns what the session keeps
     * @param sourceIds the source ids {@code [B, S]}
     * @param incremental whether to cache keys and values
     * @param renormalize whether to normalise log-probabilities again after the bans
     */
    DecodingSession(
            Seq2SeqTransformer model,
            ParameterStore ps,
            NDManager manager,
            NDArray sourceIds,
            boolean incremental,
            boolean renormalize) {
        this.model = model;
        this.ps = ps;
        this.manager = manager;
        TransformerConfig config = model.getConfig();
        checkShape(sourceIds, config);
        this.sourceIds = sourceIds.duplicate(); // ours, to reorder and close
        this.sourceIds.attach(manager);
        sourceLengths = countTokens(this.sourceIds, config.sourceSpecialTokens());
        try (NDManager scope = manager.newSubManager()) {
            joinStep(this.sourceIds, scope);
            memory = model.encode(ps, this.sourceIds, false); // [B, S, D]
            memory.attach(manager);
        }
        state = incremental ? new IncrementalState(manager) : null;
        this.renormalize = renormalize;
        float[] bias = new float[config.targetVocabSize()];
        bias[SpecialTokens.PAD_ID] = Float.NEGATIVE_INFINITY;
        bias[SpecialTokens.START_ID] = Float.NEGATIVE_INFINITY;
        banned = manager.create(bias);
    }

    /**
     * Returns the number of source tokens of each sentence, START, END and PAD not counted.
     *
     * @return n per sentence of the original batch
     */
    int[] sourceLengths() {
        return sourceLengths.clone();
    }

    /**
     * Feeds one token per row and returns the log-probabilities of the next one.
     *
     * @param tokens the last token of each row {@code [N]}, in the step's manager
     * @return log-probabilities {@code [N, V]}, PAD and START at -∞, in the step's manager
     */
    NDArray next(NDArray tokens) {
        NDManager step = tokens.getManager();
        NDArray ids = tokens.reshape(-1, 1); // [N, 1]
        NDArray h; // [N, 1, D]
        if (state != null) {
            h = model.decodeHidden(ps, memory, sourceIds, ids, state, false);
        } else {
            if (prefix == null) {
                prefix = ids.duplicate();
                prefix.attach(manager);
            } else {
                prefix = replace(prefix, NDArrays.concat(new NDList(prefix, ids), 1)); // [N, t]
            }
            joinStep(memory, step);
            joinStep(sourceIds, step);
            joinStep(prefix, step);
            h =
                    model.decodeHidden(ps, memory, sourceIds, prefix, null, false) // [N, t, D]
                            .get(new NDIndex(":, -1:, :"));
        }
        NDArray logits = model.project(ps, h, false).squeeze(1); // [N, V]
        NDArray logProbs = logits.logSoftmax(1).add(banned); // [N, V]
        return renormalize ? logProbs.logSoftmax(1) : logProbs; // [N, V]
    }

    /**
     * Keeps the given rows, in the given order; call it between steps.
     *
     * @param rows indices of the rows to keep {@code [N']}, int64
     */
    void select(NDArray rows) {
        NDIndex index = new NDIndex("{}", rows);
        sourceIds = replace(sourceIds, sourceIds.get(manager, index)); // [N', S]
        memory = replace(memory, memory.get(manager, index)); // [N', S, D]
        if (prefix != null) {
            prefix = replace(prefix, prefix.get(manager, index)); // [N', t]
        }
        if (state != null) {
            state.reorder(rows);
        }
    }

    private NDArray replace(NDArray old, NDArray fresh) {
        old.close();
        fresh.attach(manager);
        return fresh;
    }

    /** Lets a step read an array of the call: it returns to the call when the step closes. */
    private static void joinStep(NDArray array, NDManager step) {
        if (array.getManager() != step) {
            array.tempAttach(step);
        }
    }

    /** Rejects anything but a {@code [B, S]} batch that fits the model. */
    private static void checkShape(NDArray sourceIds, TransformerConfig config) {
        if (sourceIds.getShape().dimension() != 2) {
            throw new IllegalArgumentException(
                    "Source ids must be [B, S], got " + sourceIds.getShape());
        }
        long width = sourceIds.getShape().get(1);
        if (width > config.maxLength()) {
            throw new IllegalArgumentException(
                    "Source batch of width "
                            + width
                            + " (START and END included) exceeds the model's maxLength "
                            + config.maxLength()
                            + "; truncate or split long sentences before decoding");
        }
    }

    /** Counts each row's own tokens: not PAD, START and END not counted. */
    private static int[] countTokens(NDArray sourceIds, int specials) {
        int rows = (int) sourceIds.getShape().get(0);
        int width = (int) sourceIds.getShape().get(1);
        long[] ids = sourceIds.toType(DataType.INT64, false).toLongArray(); // on the host
        int[] lengths = new int[rows];
        for (int r = 0; r < rows; r++) {
            int tokens = 0;
            for (int c = 0; c < width; c++) {
                tokens += ids[r * width + c] == SpecialTokens.PAD_ID ? 0 : 1;
            }
            lengths[r] = Math.max(0, tokens - specials); // START (if any) and END
        }
        return lengths;
    }
}
