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
 * One decoder layer: causally-masked self-attention, then cross-attention over the encoder output,
 * then the feed-forward network, each inside a {@link SublayerConnection}.
 *
 * <p>Forward inputs: {@code y [B, T, D]}, {@code memory [B, S, D]}, the cross-attention bias {@code
 * [B, 1, 1, S]} (source padding) and, optionally, the self-attention bias (causal and target
 * padding, see {@link Masks#decoderSelfAttention}). Output {@code [B, T, D]}.
 *
 * <p>Incremental decoding: when the forward params hold an {@link IncrementalState}, {@code y}
 * holds only the T new positions; self-attention appends their keys and values to the layer's cache
 * and attends over all t + T cached positions (bias {@code [1, 1, T, t + T]}, or none for a single
 * new position), and cross-attention projects {@code memory} once and reuses it. Without a state
 * the same code computes the full parallel pass (bias {@code [B, 1, T, T]}).
 */
public class DecoderLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final MultiHeadAttention selfAttention;
    private final SublayerConnection selfAttentionConnection;
    private final MultiHeadAttention crossAttention;
    private final SublayerConnection crossAttentionConnection;
    private final FeedForward feedForward;
    private final SublayerConnection feedForwardConnection;

    DecoderLayer(TransformerConfig config, Precision precision) {
        super(VERSION);
        selfAttention = addChildBlock("selfAttention", Layers.selfAttention(config, precision));
        selfAttentionConnection = addChildBlock("selfAttentionNorm", Layers.connection(config));
        crossAttention = addChildBlock("crossAttention", Layers.crossAttention(config, precision));
        crossAttentionConnection = addChildBlock("crossAttentionNorm", Layers.connection(config));
        feedForward = addChildBlock("feedForward", Layers.feedForward(config, precision));
        feedForwardConnection = addChildBlock("feedForwardNorm", Layers.connection(config));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray y = inputs.get(0); // [B, T, D]
        NDArray memory = inputs.get(1); // [B, S, D]
        NDArray crossBias = inputs.get(2); // [B, 1, 1, S]
        NDArray selfBias = inputs.size() > 3 ? inputs.get(3) : null; // [B|1, 1, T, t + T]
        IncrementalState state = IncrementalState.from(params); // null in the parallel pass
        y =
                selfAttentionConnection.apply(
                        ps, y, h -> selfAttend(ps, h, selfBias, state, training), training);
        y =
                crossAttentionConnection.apply(
                        ps,
                        y,
                        h -> crossAttend(ps, h, memory, crossBias, state, training),
                        training);
        y =
                feedForwardConnection.apply(
                        ps,
                        y,
                        h -> feedForward.forward(ps, new NDList(h), training).head(),
                        training);
        return new NDList(y);
    }

    /** Self-attention of {@code h [B, T, D]} over the cached positions (if any) and its own. */
    private NDArray selfAttend(
            ParameterStore ps, NDArray h, NDArray bias, IncrementalState state, boolean training) {
        NDList qkv = selfAttention.projectSelf(ps, h, training); // [B, H, T, Dh] each
        NDList keyValue = qkv.subNDList(1);
        if (state != null) {
            keyValue = state.cache(selfAttention).append(keyValue); // [B, H, t + T, Dh] each
        }
        return selfAttention.attend(ps, qkv.get(0), keyValue, bias, training); // [B, T, D]
    }

    /** Cross-attention of {@code h [B, T, D]} over the encoder output, projected once per state. */
    private NDArray crossAttend(
            ParameterStore ps,
            NDArray h,
            NDArray memory,
            NDArray bias,
            IncrementalState state,
            boolean training) {
        NDList keyValue =
                state == null
                        ? crossAttention.projectKeyValue(ps, memory, training)
                        : state.cache(crossAttention)
                                .computeIfAbsent(
                                        () -> crossAttention.projectKeyValue(ps, memory, training));
        NDArray q = crossAttention.projectQuery(ps, h, training); // [B, H, T, Dh]
        return crossAttention.attend(ps, q, keyValue, bias, training); // [B, T, D]
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

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link DecoderLayer} from the model configuration. */
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
        public DecoderLayer build() {
            if (config == null) {
                throw new IllegalArgumentException("DecoderLayer needs a TransformerConfig");
            }
            return new DecoderLayer(config, precision);
        }
    }
}
