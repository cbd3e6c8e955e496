package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.djlseq2seq.precision.MatrixProducts;
import io.github.djlseq2seq.precision.Precision;

/**
 * The output projection ("generator"): decoder states {@code [B, T, D]} to target-vocabulary logits
 * {@code [B, T, V]}.
 *
 * <p>Untied, it owns a weight {@code [V, D]} and a bias {@code [V]}. Tied, it reuses the target
 * embedding matrix (Press and Wolf, 2017) and, by default, has no parameters of its own: the
 * embedding's parameter is read, not registered, so it is saved and updated exactly once. A tied
 * projection may still own a bias (Marian's {@code final_logits_bias}).
 */
public class OutputProjection extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int vocabSize;
    private final boolean tied;
    private final Parameter weight;
    private final Parameter bias; // null without a bias
    private final MatrixProducts products;

    OutputProjection(Builder builder) {
        super(VERSION);
        vocabSize = builder.vocabSize;
        products = MatrixProducts.of(builder.precision);
        tied = builder.tiedEmbedding != null;
        weight =
                tied
                        ? builder.tiedEmbedding.getWeight()
                        : addParameter(
                                Parameter.builder()
                                        .setName("weight")
                                        .setType(Parameter.Type.WEIGHT)
                                        .build());
        boolean withBias = builder.bias == null ? !tied : builder.bias;
        bias =
                withBias
                        ? addParameter(
                                Parameter.builder()
                                        .setName("bias")
                                        .setType(Parameter.Type.BIAS)
                                        .optShape(new Shape(vocabSize))
                                        .build())
                        : null;
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
     * Returns whether this projection shares the target embedding matrix.
     *
     * @return true when tied
     */
    public boolean isTied() {
        return tied;
    }

    /** {@inheritDoc} */
    @Override
    protected void prepare(Shape[] inputShapes) {
        if (!isTied()) {
            Shape x = inputShapes[0];
            weight.setShape(new Shape(vocabSize, x.get(x.dimension() - 1)));
        }
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.head(); // [B, T, D]
        NDArray w = ps.getValue(weight, x.getDevice(), training); // [V, D]
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training); // [V]
        return new NDList(products.linear(x, w, b)); // [B, T, V]
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {x.slice(0, x.dimension() - 1).add(vocabSize)};
    }

    /** Builds an {@link OutputProjection}. */
    public static final class Builder {
        private int vocabSize;
        private TokenEmbedding tiedEmbedding;
        private Boolean bias;
        private Precision precision = Precision.FP32;

        Builder() {}

        /**
         * Sets whether the projection adds a bias {@code [V]} (default: exactly when untied).
         *
         * @param bias whether to add a bias
         * @return this builder
         */
        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /**
         * Sets the target vocabulary size V.
         *
         * @param vocabSize the number of logits per position
         * @return this builder
         */
        public Builder setVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        /**
         * Ties the projection to an embedding's matrix (default: untied).
         *
         * @param embedding the target embedding whose weight {@code [V, D]} is reused
         * @return this builder
         */
        public Builder optTiedEmbedding(TokenEmbedding embedding) {
            this.tiedEmbedding = embedding;
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
        public OutputProjection build() {
            if (vocabSize <= 0) {
                throw new IllegalArgumentException("vocabSize must be positive, got " + vocabSize);
            }
            return new OutputProjection(this);
        }
    }
}
