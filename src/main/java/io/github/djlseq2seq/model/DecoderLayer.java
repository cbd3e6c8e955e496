package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One decoder layer: causally-masked self-attention, then cross-attention over the encoder output,
 * then the feed-forward network, each inside a {@link SublayerConnection}.
 *
 * <p>Forward inputs: {@code y [B, T, D]}, {@code memory [B, S, D]}, the self-attention bias {@code
 * [B, 1, T, T]} (causal and target padding, see {@link Masks#decoderSelfAttention}) and the
 * cross-attention bias {@code [B, 1, 1, S]} (source padding). Output {@code [B, T, D]}.
 */
public class DecoderLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final MultiHeadAttention selfAttention;
    private final SublayerConnection selfAttentionConnection;
    private final MultiHeadAttention crossAttention;
    private final SublayerConnection crossAttentionConnection;
    private final FeedForward feedForward;
    private final SublayerConnection feedForwardConnection;

    /**
     * Creates a decoder layer.
     *
     * @param config the model configuration (width, heads, feed-forward width, dropout, norm)
     */
    public DecoderLayer(TransformerConfig config) {
        super(VERSION);
        selfAttention = addChildBlock("selfAttention", Layers.attention(config));
        selfAttentionConnection = addChildBlock("selfAttentionNorm", Layers.connection(config));
        crossAttention = addChildBlock("crossAttention", Layers.attention(config));
        crossAttentionConnection = addChildBlock("crossAttentionNorm", Layers.connection(config));
        feedForward = addChildBlock("feedForward", Layers.feedForward(config));
        feedForwardConnection = addChildBlock("feedForwardNorm", Layers.connection(config));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray y = inputs.get(0); // [B, T, D]
        NDArray memory = inputs.get(1); // [B, S, D]
        NDArray selfBias = inputs.get(2); // [B, 1, T, T]
        NDArray crossBias = inputs.get(3); // [B, 1, 1, S]
        y =
                selfAttentionConnection.apply(
                        ps,
                        y,
                        h -> selfAttention.forward(ps, new NDList(h, h, selfBias), training).head(),
                        training);
        y =
                crossAttentionConnection.apply(
                        ps,
                        y,
                        h ->
                                crossAttention
                                        .forward(ps, new NDList(h, memory, crossBias), training)
                                        .head(),
                        training);
        y =
                feedForwardConnection.apply(
                        ps,
                        y,
                        h -> feedForward.forward(ps, new NDList(h), training).head(),
                        training);
        return new NDList(y);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape y = inputShapes[0];
        Shape memory = inputShapes[1];
        selfAttention.initialize(manager, dataType, y, y);
        selfAttentionConnection.initialize(manager, dataType, y);
        crossAttention.initialize(manager, dataType, y, memory);
        crossAttentionConnection.initialize(manager, dataType, y);
        feedForward.initialize(manager, dataType, y);
        feedForwardConnection.initialize(manager, dataType, y);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
