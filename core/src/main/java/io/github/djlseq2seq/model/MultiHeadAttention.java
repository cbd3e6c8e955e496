package io.github.djlseq2seq.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.djlseq2seq.precision.MatrixProducts;
import io.github.djlseq2seq.precision.Precision;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Multi-head scaled dot-product attention, used both as self-attention (query = memory) and as
 * cross-attention (memory = encoder output).
 *
 * <p>Forward inputs: {@code query [B, T, D]}, {@code memory [B, S, D]} (a self-attention ignores it
 * and attends over {@code query}) and optionally an additive mask bias broadcastable to {@code [B,
 * H, T, S]} (see {@link Masks}). Output {@code [B, T, D]}.
 *
 * <pre>
 *   Attention(Q, K, V) = softmax(Q Kᵀ / √d_head + bias) V,  per head, then concatenated
 * </pre>
 *
 * <p>A self-attention projects Q, K and V with one matrix product, a cross-attention projects K and
 * V of the memory with one and Q with another; {@link AttentionLayout} documents the parameters.
 * Parameters saved by version 1 of this block (separate Q, K, V projections) load into this layout.
 */
public class MultiHeadAttention extends AbstractBlock {

    /** Version 2: stacked in-projections. */
    private static final byte VERSION = 2;

    /** Version 1: separate {@code query}, {@code key}, {@code value} Linear children. */
    private static final byte SEPARATE_PROJECTIONS_VERSION = 1;

    private final int modelDim;
    private final int numHeads;
    private final float dropout;
    private final MatrixProducts products;
    private final boolean cross;
    private final Parameter queryWeight; // self: [3D, D] (Q | K | V); cross: [D, D]
    private final Parameter queryBias; // self: [3D]; cross: [D]
    private final Parameter keyValueWeight; // cross only: [2D, D] (K | V); null for self
    private final Parameter keyValueBias; // cross only: [2D]; null for self
    private final Linear outputProjection;

    MultiHeadAttention(Builder builder) {
        super(VERSION);
        modelDim = builder.modelDim;
        numHeads = builder.numHeads;
        dropout = builder.dropout;
        products = MatrixProducts.of(builder.precision);
        cross = builder.cross;
        if (cross) {
            queryWeight = addWeight(AttentionLayout.QUERY_WEIGHT, 1);
            queryBias = addBias(AttentionLayout.QUERY_BIAS, 1);
            keyValueWeight = addWeight(AttentionLayout.KEY_VALUE_WEIGHT, 2);
            keyValueBias = addBias(AttentionLayout.KEY_VALUE_BIAS, 2);
        } else {
            queryWeight = addWeight(AttentionLayout.IN_PROJECTION_WEIGHT, 3);
            queryBias = addBias(AttentionLayout.IN_PROJECTION_BIAS, 3);
            keyValueWeight = null;
            keyValueBias = null;
        }
        outputProjection =
                addChildBlock(AttentionLayout.OUTPUT, Linear.builder().setUnits(modelDim).build());
    }

    private Parameter addWeight(String name, int parts) {
        return addParameter(
                Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape((long) parts * modelDim, modelDim))
                        .build());
    }

    private Parameter addBias(String name, int parts) {
        return addParameter(
                Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.BIAS)
                        .optShape(new Shape((long) parts * modelDim))
                        .build());
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns whether this block is a cross-attention (separate query and key/value inputs).
     *
     * @return true for a cross-attention, false for a self-attention
     */
    public boolean isCross() {
        return cross;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray query = inputs.get(0);
        NDArray bias = inputs.size() > 2 ? inputs.get(2) : null;
        if (!cross) {
            NDList qkv = projectSelf(parameterStore, query, training);
            return new NDList(attend(parameterStore, qkv.get(0), qkv.subNDList(1), bias, training));
        }
        NDArray memory = inputs.size() > 1 ? inputs.get(1) : query;
        NDArray q = projectQuery(parameterStore, query, training);
        NDList keyValue = projectKeyValue(parameterStore, memory, training);
        return new NDList(attend(parameterStore, q, keyValue, bias, training));
    }

    /**
     * Projects the input of a self-attention into per-head queries, keys and values with one matrix
     * product; a decoding cache appends the keys and values one step at a time.
     *
     * @param parameterStore the parameter store
     * @param x the sequence attending to itself {@code [B, T, D]}
     * @param training whether in training mode
     * @return queries (already scaled by 1/√d_head), keys and values, each {@code [B, H, T, D/H]}
     */
    public NDList projectSelf(ParameterStore parameterStore, NDArray x, boolean training) {
        requireKind(false);
        NDList qkv = project(parameterStore, x, queryWeight, queryBias, training).split(3, 2);
        return new NDList(
                scale(splitHeads(qkv.get(0))), splitHeads(qkv.get(1)), splitHeads(qkv.get(2)));
    }

    /**
     * Projects the queries of a cross-attention.
     *
     * @param parameterStore the parameter store
     * @param query the queries {@code [B, T, D]}
     * @param training whether in training mode
     * @return per-head queries, already scaled by 1/√d_head, {@code [B, H, T, D/H]}
     */
    public NDArray projectQuery(ParameterStore parameterStore, NDArray query, boolean training) {
        requireKind(true);
        return scale(splitHeads(project(parameterStore, query, queryWeight, queryBias, training)));
    }

    /**
     * Projects a memory into per-head keys and values with one matrix product. Cross-attention
     * computes this once per source sentence.
     *
     * @param parameterStore the parameter store
     * @param memory the sequence attended to {@code [B, S, D]}
     * @param training whether in training mode
     * @return keys and values, each {@code [B, H, S, D/H]}
     */
    public NDList projectKeyValue(ParameterStore parameterStore, NDArray memory, boolean training) {
        requireKind(true);
        NDList kv =
                project(parameterStore, memory, keyValueWeight, keyValueBias, training).split(2, 2);
        return new NDList(splitHeads(kv.get(0)), splitHeads(kv.get(1)));
    }

    /**
     * Attends from projected queries to projected keys and values.
     *
     * @param parameterStore the parameter store
     * @param q the queries from {@link #projectSelf} or {@link #projectQuery} {@code [B, H, T,
     *     D/H]}
     * @param keyValue keys and values, each {@code [B, H, S, D/H]}
     * @param bias an additive mask broadcastable to {@code [B, H, T, S]}, or null
     * @param training whether dropout is active
     * @return the attended values {@code [B, T, D]}
     */
    public NDArray attend(
            ParameterStore parameterStore,
            NDArray q,
            NDList keyValue,
            NDArray bias,
            boolean training) {
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

    /** x W^T + b in this block's precision: [B, T, D] → [B, T, P·D]. */
    private NDArray project(
            ParameterStore parameterStore,
            NDArray x,
            Parameter weight,
            Parameter bias,
            boolean training) {
        Device device = x.getDevice();
        return products.linear(
                x,
                parameterStore.getValue(weight, device, training),
                parameterStore.getValue(bias, device, training));
    }

    private NDArray scale(NDArray q) {
        return q.mul(1.0 / Math.sqrt(modelDim / numHeads));
    }

    /** [B, T, D] → [B, H, T, D/H]. */
    private NDArray splitHeads(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), numHeads, modelDim / numHeads).transpose(0, 2, 1, 3);
    }

    private void requireKind(boolean wanted) {
        if (cross != wanted) {
            throw new IllegalStateException(
                    "this is a "
                            + (cross ? "cross" : "self")
                            + "-attention block; that projection belongs to a "
                            + (wanted ? "cross" : "self")
                            + "-attention");
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        outputProjection.initialize(manager, dataType, inputShapes[0]);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads both layouts: version 2 (stacked, see {@link AttentionLayout}) and version 1, whose
     * separate query, key and value projections are stacked here as they are read.
     */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is)
            throws IOException, MalformedModelException {
        byte loadVersion = is.readByte();
        if (loadVersion == SEPARATE_PROJECTIONS_VERSION) {
            readInputShapes(is);
            loadSeparateProjections(manager, is);
        } else {
            loadMetadata(loadVersion, is); // fails unless VERSION
            for (Parameter parameter : getDirectParameters().values()) {
                parameter.load(manager, is);
            }
        }
        outputProjection.loadParameters(manager, is);
    }

    /** Reads version 1's query, key and value Linear blocks and stacks them. */
    private void loadSeparateProjections(NDManager manager, DataInputStream is)
            throws IOException, MalformedModelException {
        try (NDManager scratch = manager.newSubManager()) {
            NDList weights = new NDList(3); // [D, D] each
            NDList biases = new NDList(3); // [D] each
            for (String name : AttentionLayout.SEPARATE_PROJECTIONS) {
                Linear projection = Linear.builder().setUnits(modelDim).build();
                projection.loadParameters(scratch, is);
                weights.add(projection.getParameters().get("weight").getArray());
                biases.add(projection.getParameters().get("bias").getArray());
            }
            if (cross) {
                assign(queryWeight, weights.get(0), manager);
                assign(queryBias, biases.get(0), manager);
                assign(keyValueWeight, AttentionLayout.stack(weights.subNDList(1)), manager);
                assign(keyValueBias, AttentionLayout.stack(biases.subNDList(1)), manager);
            } else {
                assign(queryWeight, AttentionLayout.stack(weights), manager);
                assign(queryBias, AttentionLayout.stack(biases), manager);
            }
        }
    }

    /** Gives a parameter a value through its own serialised form, whether initialised or not. */
    private static void assign(Parameter parameter, NDArray value, NDManager manager)
            throws IOException, MalformedModelException {
        Parameter carrier =
                Parameter.builder()
                        .setName(parameter.getName())
                        .setType(parameter.getType())
                        .build();
        carrier.setArray(value);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            carrier.save(out);
        }
        parameter.load(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    /** Builds a {@link MultiHeadAttention}. */
    public static final class Builder {
        private int modelDim;
        private int numHeads;
        private float dropout;
        private Precision precision = Precision.FP32;
        private boolean cross;

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
         * Makes the block a cross-attention, whose keys and values come from a separate memory
         * (default false: a self-attention, Q, K and V from one input).
         *
         * @param cross whether the block attends over a separate memory
         * @return this builder
         */
        public Builder optCross(boolean cross) {
            this.cross = cross;
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
