package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;

/**
 * Inputs addressed to another block that runs a {@link Seq2SeqTransformer} itself, such as a
 * decoding loop: given these, the transformer's forward hands them to that block.
 *
 * <p>DJL's {@code Predictor} only ever calls the forward of the model's block, and a djl-seq2seq
 * model's block is the {@link Seq2SeqTransformer} (its parameter files, its training and its bare
 * {@code (source ids, decoder input ids) → logits} contract depend on it). A translator whose
 * prediction needs many passes through the model (autoregressive decoding) returns its batch
 * wrapped in a {@code RoutedInput}; the predictor passes it unchanged to the transformer's forward,
 * which calls {@code getBlock().forward} with the predictor's parameter store. The work then runs,
 * and is timed, as DJL's inference step.
 */
public final class RoutedInput extends NDList {

    private static final long serialVersionUID = 1L;

    private final transient Block block;

    /**
     * Wraps inputs for a block.
     *
     * @param block the block that runs them
     * @param inputs its inputs
     */
    public RoutedInput(Block block, NDList inputs) {
        super(inputs);
        this.block = block;
    }

    /**
     * Returns the block that runs these inputs.
     *
     * @return the block
     */
    public Block getBlock() {
        return block;
    }

    /**
     * Returns the inputs as a plain list, for the block's forward.
     *
     * @return the arrays, in order
     */
    public NDList getInputs() {
        return new NDList(this);
    }
}
