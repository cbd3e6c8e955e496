package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.util.List;

/**
 * Greedy decoding, batched over sentences: at every step each sentence takes its most probable next
 * token (PAD and START excluded).
 *
 * <p>A sentence stops at END; at its maximum length ({@link DecodingOptions#maxOutputLength}) END
 * is forced, and its log-probability counted, as fairseq does. Finished sentences leave the batch;
 * the call returns when none is left.
 */
public final class GreedyDecoder implements SequenceDecoder {

    private final Seq2SeqTransformer model;
    private final DecodingOptions options;

    /**
     * Creates a greedy decoder; the options' beam size and n-best size are not read.
     *
     * @param model the initialised model
     * @param options the maximum length, length penalty (for the normalized score) and cache
     */
    public GreedyDecoder(Seq2SeqTransformer model, DecodingOptions options) {
        this.model = model;
        this.options = options;
    }

    /** {@inheritDoc} */
    @Override
    public List<List<Hypothesis>> decodeNBest(
            ParameterStore ps, NDArray sourceIds, int[][] prefixes) {
        return RowDecoding.decode(
                model,
                options,
                ps,
                sourceIds,
                prefixes,
                1,
                (step, logProbs, rows) -> {
                    NDList best = logProbs.topK(1, 1); // values and ids, [A, 1] each
                    return new RowDecoding.Picks(
                            best.get(0).toFloatArray(), best.get(1).toLongArray());
                });
    }
}
