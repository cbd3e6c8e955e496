package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.util.List;

/**
 * Turns a batch of source sentences into output sentences with a trained {@link Seq2SeqTransformer}
 * (fairseq's sequence generator): the decoder feeds back its own predictions, from START until END
 * or the maximum length.
 *
 * <p>Memory: a decode call makes every array in a sub-manager of the source ids' manager, one more
 * per step, and closes them all before it returns; only Java objects come out.
 */
public interface SequenceDecoder {

    /**
     * Decodes a batch of sentences.
     *
     * @param ps the parameter store of the model (not training)
     * @param sourceIds integer ids {@code [B, S]}, each row {@code [START, x…, END]} padded with
     *     PAD, on the model's device; at most the model's maxLength wide
     * @return one hypothesis per row, in order
     * @throws IllegalArgumentException if the sources are wider than the model's maxLength
     */
    List<Hypothesis> decode(ParameterStore ps, NDArray sourceIds);

    /**
     * Creates the decoder the options ask for: greedy for beam size 1, else beam search.
     *
     * @param model the initialised model
     * @param options the decoding options
     * @return the decoder
     */
    static SequenceDecoder of(Seq2SeqTransformer model, DecodingOptions options) {
        return options.getBeamSize() == 1
                ? new GreedyDecoder(model, options)
                : new BeamSearchDecoder(model, options);
    }
}
