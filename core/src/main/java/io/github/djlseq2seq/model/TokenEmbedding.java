package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * Token embedding scaled by √d (unless configured off), plus sinusoidal positional encoding, then
 * dropout.
 *
 * <p>Input {@code [B, T]} integer ids; output {@code [B, T, D]}. The embedding matrix is
 * initialised from N(0, d^-1/2) (as fairseq does), so that after the √d scaling token vectors have
 * unit scale, like the positional encoding they are added to.
 */
public class TokenEmbedding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int vocabSize;
    private final int modelDim;
    private final int maxLength;
    private final float dropout;
    private final PositionEncoding positionEncoding;
    private final boolean scale;
    private final Parameter weight;

    TokenEmbedding(Builder builder) {
        super(VERSION);
        vocabSize = builder.vocabSize;
        modelDim = builder.modelDim;
        maxLength = builder.maxLength;
        dropout = builder.dropout;
        positionEncoding = builder.positionEncoding;
        scale = builder.scale;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(vocabSize, modelDim))
                                .optInitializer(
                                        new NormalInitializer((float) Math.pow(modelDim, -0.5)))
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
     * Returns the embedding matrix {@code [V, D]}, which a tied output projection shares.
     *
     * @return the weight parameter
     */
    public Parameter getWeight() {
        return weight;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return new NDList(embed(parameterStore, inputs.head(), 0, training));
    }

    /**
     * Embeds ids that start at an absolute position (non-zero during incremental decoding).
     *
     * @param parameterStore the parameter store
     * @param ids token ids {@code [B, T]}
     * @param offset the position of the first id
     * @param training whether dropout is active
     * @return the embedded tokens {@code [B, T, D]}
     */
    public NDArray embed(
            ParameterStore parameterStore, NDArray ids, long offset, boolean training) {
        long length = ids.getShape().get(1);
        if (offset + length > maxLength) {
            throw new IllegalArgumentException(
                    "Sequence of "
                            + (offset + length)
                            + " tokens exceeds the model's maxLength "
                            + maxLength);
        }
        NDArray w = parameterStore.getValue(weight, ids.getDevice(), training);
        NDArray x = Embedding.embedding(ids, w, SparseFormat.DENSE).head(); // [B, T, D]
        NDArray pe =
                sinusoid(
                        ids.getManager(),
                        offset,
                        length,
                        modelDim,
                        positionEncoding,
                        x.getDataType()); // [T, D]
        x = (scale ? x.mul(Math.sqrt(modelDim)) : x).add(pe); // [B, T, D] + [T, D]
        return dropout > 0 ? Dropout.dropout(x, dropout, training).head() : x;
    }

    /**
     * The sinusoidal positional encoding of the paper: {@code PE(p, 2i) = sin(p / 10000^(2i/D))},
     * {@code PE(p, 2i+1) = cos(p / 10000^(2i/D))}.
     *
     * @param manager the manager (and device) of the result
     * @param offset the first position
     * @param length the number of positions T
     * @param dim the model width D (even)
     * @param dataType the result's data type
     * @return the encoding {@code [T, D]}
     */
    public static NDArray sinusoid(
            NDManager manager, long offset, long length, int dim, DataType dataType) {
        return sinusoid(manager, offset, length, dim, PositionEncoding.INTERLEAVED, dataType);
    }

    /**
     * The sinusoidal positional encoding, its sines and cosines in the given layout.
     *
     * @param manager the manager (and device) of the result
     * @param offset the first position
     * @param length the number of positions T
     * @param dim the model width D (even)
     * @param layout where the sine and cosine features go
     * @param dataType the result's data type
     * @return the encoding {@code [T, D]}
     */
    public static NDArray sinusoid(
            NDManager manager,
            long offset,
            long length,
            int dim,
            PositionEncoding layout,
            DataType dataType) {
        NDArray pos =
                manager.arange(offset, offset + length, 1, DataType.FLOAT32)
                        .reshape(length, 1); // [T, 1]
        NDArray inverseFrequency =
                manager.arange(0, dim, 2, DataType.FLOAT32)
                        .mul(-Math.log(10000.0) / dim)
                        .exp(); // [D/2]
        NDArray angle = pos.mul(inverseFrequency); // [T, D/2]
        NDList sinCos = new NDList(angle.sin(), angle.cos());
        NDArray pe =
                layout == PositionEncoding.SPLIT
                        ? NDArrays.concat(sinCos, 1) // [T, D]: sines, then cosines
                        : NDArrays.stack(sinCos, 2).reshape(length, dim); // [T, D/2, 2] → [T, D]
        return pe.toType(dataType, false);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(modelDim)};
    }

    /** Builds a {@link TokenEmbedding}. */
    public static final class Builder {
        private int vocabSize;
        private int modelDim;
        private int maxLength = 256;
        private float dropout;
        private PositionEncoding positionEncoding = PositionEncoding.INTERLEAVED;
        private boolean scale = true;

        Builder() {}

        /**
         * Sets the position encoding's layout (default {@link PositionEncoding#INTERLEAVED}).
         *
         * @param layout the layout
         * @return this builder
         */
        public Builder optPositionEncoding(PositionEncoding layout) {
            this.positionEncoding = layout;
            return this;
        }

        /**
         * Sets whether token vectors are multiplied by √d (default true).
         *
         * @param scale whether to scale
         * @return this builder
         */
        public Builder optScale(boolean scale) {
            this.scale = scale;
            return this;
        }

        /**
         * Sets the vocabulary size.
         *
         * @param vocabSize the number of ids
         * @return this builder
         */
        public Builder setVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        /**
         * Sets the model width D.
         *
         * @param modelDim the embedding width
         * @return this builder
         */
        public Builder setModelDim(int modelDim) {
            this.modelDim = modelDim;
            return this;
        }

        /**
         * Sets the longest accepted sequence (default 256).
         *
         * @param maxLength the length
         * @return this builder
         */
        public Builder optMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /**
         * Sets the dropout rate applied to the sum (default 0).
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
        public TokenEmbedding build() {
            if (vocabSize <= 0 || modelDim <= 0 || modelDim % 2 != 0 || maxLength <= 0) {
                throw new IllegalArgumentException(
                        "TokenEmbedding needs a positive vocabSize and maxLength and an even"
                                + " positive modelDim");
            }
            return new TokenEmbedding(this);
        }
    }
}
