package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.UnaryOperator;

/**
 * A residual connection with LayerNorm around one sub-layer (attention or feed-forward):
 *
 * <pre>
 *   POST: LayerNorm(x + dropout(sublayer(x)))
 *   PRE:  x + dropout(sublayer(LayerNorm(x)))
 * </pre>
 *
 * <p>Its own forward is the identity-sublayer case and exists for DJL's block contract; layers call
 * {@link #apply}.
 */
public class SublayerConnection extends AbstractBlock {

    private static final byte VERSION = 1;

    private final NormPlacement placement;
    private final float dropout;
    private final LayerNorm norm;

    SublayerConnection(Builder builder) {
        super(VERSION);
        this.placement = builder.placement;
        this.dropout = builder.dropout;
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
    }

    /**
     * Runs a sub-layer with its residual connection and normalisation.
     *
     * @param parameterStore the parameter store
     * @param x the input {@code [B, T, D]}
     * @param sublayer the sub-layer, {@code [B, T, D] → [B, T, D]}
     * @param training whether dropout is active
     * @return the output {@code [B, T, D]}
     */
    public NDArray apply(
            ParameterStore parameterStore,
            NDArray x,
            UnaryOperator<NDArray> sublayer,
            boolean training) {
        if (placement == NormPlacement.PRE) {
            return x.add(drop(sublayer.apply(normalize(parameterStore, x, training)), training));
        }
        return normalize(parameterStore, x.add(drop(sublayer.apply(x), training)), training);
    }

    private NDArray normalize(ParameterStore parameterStore, NDArray x, boolean training) {
        return norm.forward(parameterStore, new NDList(x), training).head();
    }

    private NDArray drop(NDArray x, boolean training) {
        return dropout > 0 ? Dropout.dropout(x, dropout, training).head() : x;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(parameterStore, inputs.head(), x -> x, training));
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        norm.initialize(manager, dataType, inputShapes[0]);
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

    /** Builds a {@link SublayerConnection}. */
    public static final class Builder {
        private NormPlacement placement = NormPlacement.POST;
        private float dropout;

        Builder() {}

        /**
         * Sets where the LayerNorm sits (default {@link NormPlacement#POST}).
         *
         * @param placement the placement
         * @return this builder
         */
        public Builder optNormPlacement(NormPlacement placement) {
            this.placement = placement;
            return this;
        }

        /**
         * Sets the dropout on the sub-layer's output (default 0).
         *
         * @param dropout the rate
         * @return this builder
         */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return the block
         */
        public SublayerConnection build() {
            if (placement == null || !(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("needs a norm placement and dropout in [0, 1)");
            }
            return new SublayerConnection(this);
        }
    }
}
