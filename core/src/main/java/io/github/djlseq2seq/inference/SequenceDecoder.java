package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a batch of source sentences into output sentences with a trained {@link Seq2SeqTransformer}
 * (fairseq's sequence generator): the decoder feeds back its own predictions, from START (and the
 * forced target prefix, if any) until END or the maximum length.
 *
 * <p>Memory: a decode call makes every array in a sub-manager of the source ids' manager, one more
 * per step, and closes them all before it returns; only Java objects come out.
 */
public interface SequenceDecoder {

    /**
     * Decodes a batch of sentences into each sentence's best hypothesis.
     *
     * @param ps the parameter store of the model (not training)
     * @param sourceIds integer ids {@code [B, S]}, each row {@code [START, x…, END]} padded with
     *     PAD, on the model's device; at most the model's maxLength wide
     * @return one hypothesis per row, in order
     * @throws IllegalArgumentException if the sources are wider than the model's maxLength
     */
    default List<Hypothesis> decode(ParameterStore ps, NDArray sourceIds) {
        List<List<Hypothesis>> all = decodeNBest(ps, sourceIds, null);
        List<Hypothesis> best = new ArrayList<>(all.size());
        for (List<Hypothesis> sentence : all) {
            best.add(sentence.get(0));
        }
        return best;
    }

    /**
     * Decodes a batch of sentences into each sentence's n-best list ({@link
     * DecodingOptions#getNBest}), each output starting with its sentence's forced prefix.
     *
     * @param ps the parameter store of the model (not training)
     * @param sourceIds integer ids {@code [B, S]}, each row {@code [START, x…, END]} padded with
     *     PAD, on the model's device; at most the model's maxLength wide
     * @param prefixes per row, the target tokens every output starts with (no START; null or empty
     *     for free decoding), or null for none at all
     * @return per row, at least one and at most K hypotheses, best normalized score first
     * @throws IllegalArgumentException if the sources are wider than the model's maxLength, or a
     *     prefix is too long or holds a special token
     */
    List<List<Hypothesis>> decodeNBest(ParameterStore ps, NDArray sourceIds, int[][] prefixes);

    /**
     * Creates the decoder the options ask for: sampling when they sample, else greedy for beam size
     * 1 and beam search above.
     *
     * @param model the initialised model
     * @param options the decoding options
     * @return the decoder
     */
    static SequenceDecoder of(Seq2SeqTransformer model, DecodingOptions options) {
        if (options.isSample()) {
            return new SamplingDecoder(model, options);
        }
        return options.getBeamSize() == 1
                ? new GreedyDecoder(model, options)
                : new BeamSearchDecoder(model, options);
    }
}
