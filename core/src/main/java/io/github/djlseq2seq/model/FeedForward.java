package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.djlseq2seq.precision.MatrixProducts;
import io.github.djlseq2seq.precision.Precision;

/**
 * The position-wise feed-forward network {@code FFN(x) = W2 dropout(act(W1 x + b1)) + b2}, with act
 * ReLU (the paper's), GELU or swish (see {@link FeedForwardActivation}).
 *
 * <p>Input and output {@code [B, T, D]}; hidden width F.
 */
public class FeedForward extends AbstractBlock {

    private static final byte VERSION = 1;

    private final float dropout;
    private final FeedForwardActivation activation;
    private final MatrixProducts products;
    private final Linear expand;
    private final Linear contract;

    FeedForward(Builder builder) {
        super(VERSION);
        dropout = builder.dropout;
        activation = builder.activation;
        products = MatrixProducts.of(builder.precision);
        expand = addChildBlock("expand", Linear.builder().setUnits(builder.hiddenDim).build());
        contract = addChildBlock("contract", Linear.builder().setUnits(builder.modelDim).build());
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray h =
                Layers.linear(
                        parameterStore, products, expand, inputs.head(), training); // [B, T, F]
        h = activation.apply(h); // [B, T, F]
        if (dropout > 0) {
            h = Dropout.dropout(h, dropout, training).head();
        }
        return new NDList(
                Layers.linear(parameterStore, products, contract, h, training)); // [B, T, D]
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        expand.initialize(manager, dataType, inputShapes[0]);
        contract.initialize(manager, dataType, expand.getOutputShapes(inputShapes));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Builds a {@link FeedForward}. */
    public static final class Builder {
        private int modelDim;
        private int hiddenDim;
        private float dropout;
        private FeedForwardActivation activation = FeedForwardActivation.RELU;
        private Precision precision = Precision.FP32;

        Builder() {}

        /**
         * Sets the activation (default {@link FeedForwardActivation#RELU}).
         *
         * @param activation the activation
         * @return this builder
         */
        public Builder optActivation(FeedForwardActivation activation) {
            this.activation = activation;
            return this;
        }

        /**
         * Sets the model width D.
         *
         * @param modelDim the input and output width
         * @return this builder
         */
        public Builder setModelDim(int modelDim) {
            this.modelDim = modelDim;
            return this;
        }

        /**
         * Sets the hidden width F.
         *
         * @param hiddenDim the hidden width
         * @return this builder
         */
        public Builder setHiddenDim(int hiddenDim) {
            this.hiddenDim = hiddenDim;
            return this;
        }

        /**
         * Sets the dropout after the activation (default 0).
         *
         * @param dropout the rate
         * @return this builder
         */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Sets the precision of the matrix products (default {@link Precision#FP32}).
         *
         * @param precision the precision, already resolved for the device
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
        public FeedForward build() {
            if (modelDim <= 0 || hiddenDim <= 0 || activation == null) {
                throw new IllegalArgumentException(
                        "FeedForward needs positive widths and an activation");
            }
            return new FeedForward(this);
        }
    }
}
