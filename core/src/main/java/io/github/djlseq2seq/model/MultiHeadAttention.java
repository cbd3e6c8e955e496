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
 * Multi-head scaled dot-product attention, used both as self-attention (query = memory) and as
 * cross-attention (memory = encoder output).
 *
 * <p>Forward inputs: {@code query [B, T, D]}, {@code memory [B, S, D]} and optionally an additive
 * mask bias broadcastable to {@code [B, H, T, S]} (see {@link Masks}). Output {@code [B, T, D]}.
 *
 * <pre>
 *   Attention(Q, K, V) = softmax(Q Kᵀ / √d_head + bias) V,  per head, then concatenated
 * </pre>
 */
public class MultiHeadAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int modelDim;
    private final int numHeads;
    private final float dropout;
    private final MatrixProducts products;
    private final Linear queryProjection;
    private final Linear keyProjection;
    private final Linear valueProjection;
    private final Linear outputProjection;

    MultiHeadAttention(Builder builder) {
        super(VERSION);
        modelDim = builder.modelDim;
        numHeads = builder.numHeads;
        dropout = builder.dropout;
        products = MatrixProducts.of(builder.precision);
        queryProjection = addChildBlock("query", Linear.builder().setUnits(modelDim).build());
        keyProjection = addChildBlock("key", Linear.builder().setUnits(modelDim).build());
        valueProjection = addChildBlock("value", Linear.builder().setUnits(modelDim).build());
        outputProjection = addChildBlock("output", Linear.builder().setUnits(modelDim).build());
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
        NDArray query = inputs.get(0);
        NDArray memory = inputs.size() > 1 ? inputs.get(1) : query;
        NDArray bias = inputs.size() > 2 ? inputs.get(2) : null;
        NDList keyValue = projectKeyValue(parameterStore, memory, training);
        return new NDList(attend(parameterStore, query, keyValue, bias, training));
    }

    /**
     * Projects a memory into per-head keys and values. Cross-attention computes this once per
     * source sentence; a decoding cache appends to it one step at a time.
     *
     * @param parameterStore the parameter store
     * @param memory the sequence attended to {@code [B, S, D]}
     * @param training whether in training mode
     * @return keys and values, each {@code [B, H, S, D/H]}
     */
    public NDList projectKeyValue(ParameterStore parameterStore, NDArray memory, boolean training) {
        NDArray k = Layers.linear(parameterStore, products, keyProjection, memory, training);
        NDArray v = Layers.linear(parameterStore, products, valueProjection, memory, training);
        return new NDList(splitHeads(k), splitHeads(v));
    }

    /**
     * Attends from queries to projected keys and values.
     *
     * @param parameterStore the parameter store
     * @param query the queries {@code [B, T, D]}
     * @param keyValue keys and values from {@link #projectKeyValue}, each {@code [B, H, S, D/H]}
     * @param bias an additive mask broadcastable to {@code [B, H, T, S]}, or null
     * @param training whether dropout is active
     * @return the attended values {@code [B, T, D]}
     */
    public NDArray attend(
            ParameterStore parameterStore,
            NDArray query,
            NDList keyValue,
            NDArray bias,
            boolean training) {
        int headDim = modelDim / numHeads;
        NDArray q = Layers.linear(parameterStore, products, queryProjection, query, training);
        q = splitHeads(q).mul(1.0 / Math.sqrt(headDim)); // [B, H, T, Dh], pre-scaled
        NDArray scores = products.matMul(q, keyValue.get(0).transpose(0, 1, 3, 2)); // [B, H, T, S]
        if (bias != null) {
            scores = scores.add(bias);
        }
        NDArray weights = scores.softmax(-1); // [B, H, T, S]
        if (dropout > 0) {
            weights = Dropout.dropout(weights, dropout, training).head();
        }
        NDArray context = products.matMul(weights, keyValue.get(1)); // [B, H, T, Dh]
        Shape s = context.getShape();
        context = context.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), modelDim); // [B,T,D]
        return Layers.linear(parameterStore, products, outputProjection, context, training);
    }

    /** [B, T, D] → [B, H, T, D/H]. */
    private NDArray splitHeads(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), numHeads, modelDim / numHeads).transpose(0, 2, 1, 3);
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape query = inputShapes[0];
        Shape memory = inputShapes.length > 1 ? inputShapes[1] : query;
        queryProjection.initialize(manager, dataType, query);
        keyProjection.initialize(manager, dataType, memory);
        valueProjection.initialize(manager, dataType, memory);
        outputProjection.initialize(manager, dataType, query);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Builds a {@link MultiHeadAttention}. */
    public static final class Builder {
        private int modelDim;
        private int numHeads;
        private float dropout;
        private Precision precision = Precision.FP32;

        Builder() {}

        /**
         * Sets the model width D.
         *
         * @param modelDim the width of queries, keys and values
         * @return this builder
         */
        public Builder setModelDim(int modelDim) {
            this.modelDim = modelDim;
            return this;
        }

        /**
         * Sets the number of heads H; must divide D.
         *
         * @param numHeads the number of heads
         * @return this builder
         */
        public Builder setNumHeads(int numHeads) {
            this.numHeads = numHeads;
            return this;
        }

        /**
         * Sets the dropout on attention weights (default 0).
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
        public MultiHeadAttention build() {
            if (numHeads <= 0 || modelDim <= 0 || modelDim % numHeads != 0) {
                throw new IllegalArgumentException(
                        "modelDim ("
                                + modelDim
                                + ") must be a positive multiple of numHeads ("
                                + numHeads
                                + ")");
            }
            return new MultiHeadAttention(this);
        }
    }
}
