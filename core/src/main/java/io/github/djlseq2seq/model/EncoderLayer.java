package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.djlseq2seq.precision.Precision;

/**
 * One encoder layer: self-attention over the whole source, then the feed-forward network, each
 * inside a {@link SublayerConnection}.
 *
 * <p>Forward inputs: {@code x [B, S, D]} and the source key-padding bias {@code [B, 1, 1, S]}.
 * Output {@code [B, S, D]}.
 */
public class EncoderLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final MultiHeadAttention selfAttention;
    private final SublayerConnection selfAttentionConnection;
    private final FeedForward feedForward;
    private final SublayerConnection feedForwardConnection;

    EncoderLayer(TransformerConfig config, Precision precision) {
        super(VERSION);
        selfAttention = addChildBlock("selfAttention", Layers.selfAttention(config, precision));
        selfAttentionConnection = addChildBlock("selfAttentionNorm", Layers.connection(config));
        feedForward = addChildBlock("feedForward", Layers.feedForward(config, precision));
        feedForwardConnection = addChildBlock("feedForwardNorm", Layers.connection(config));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // [B, S, D]
        NDArray bias = inputs.get(1); // [B, 1, 1, S]
        x =
                selfAttentionConnection.apply(
                        ps,
                        x,
                        h -> selfAttention.forward(ps, new NDList(h, h, bias), training).head(),
                        training);
        x =
                feedForwardConnection.apply(
                        ps,
                        x,
                        h -> feedForward.forward(ps, new NDList(h), training).head(),
                        training);
        return new NDList(x);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        selfAttention.initialize(manager, dataType, x, x);
        selfAttentionConnection.initialize(manager, dataType, x);
        feedForward.initialize(manager, dataType, x);
        feedForwardConnection.initialize(manager, dataType, x);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link EncoderLayer} from the model configuration. */
    public static final class Builder {
        private TransformerConfig config;
        private Precision precision = Precision.FP32;

        Builder() {}

        /**
         * Sets the configuration (width, heads, feed-forward width, dropout, norm).
         *
         * @param config the model configuration
         * @return this builder
         */
        public Builder setConfig(TransformerConfig config) {
            this.config = config;
            return this;
        }

        /**
         * Sets the precision of the layer's matrix products (default {@link Precision#FP32}).
         *
         * @param precision the precision, already resolved for the device ({@link
         *     io.github.djlseq2seq.precision.Bf16Support#resolve})
         * @return this builder
         */
        public Builder optPrecision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return the block
         */
        public EncoderLayer build() {
            if (config == null) {
                throw new IllegalArgumentException("EncoderLayer needs a TransformerConfig");
            }
            return new EncoderLayer(config, precision);
        }
    }
}
