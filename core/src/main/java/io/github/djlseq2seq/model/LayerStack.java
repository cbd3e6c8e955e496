package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * N identical layers applied in turn (the encoder or the decoder), plus a final LayerNorm when
 * norms are placed before the sub-layers.
 *
 * <p>Forward inputs: {@code x [B, T, D]} followed by whatever every layer also reads (masks, the
 * encoder output); each layer's output replaces {@code x}. Output {@code [B, T, D]}. The forward
 * params (an {@link IncrementalState} when decoding step by step) are passed on to every layer.
 */
public class LayerStack extends AbstractBlock {

    private static final byte VERSION = 1;

    private final List<Block> layers = new ArrayList<>();
    private final LayerNorm finalNorm;

    LayerStack(Builder builder) {
        super(VERSION);
        for (int i = 0; i < builder.count; i++) {
            layers.add(addChildBlock("layer" + i, builder.layer.get()));
        }
        finalNorm =
                builder.placement == NormPlacement.PRE
                        ? addChildBlock("finalNorm", LayerNorm.builder().axis(2).build())
                        : null;
    }

    /**
     * Returns the layers, in order.
     *
     * @return the layers
     */
    public List<Block> getLayers() {
        return layers;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList rest = inputs.subNDList(1);
        NDArray x = inputs.head();
        for (Block layer : layers) {
            NDList layerInputs = new NDList(x);
            layerInputs.addAll(rest);
            x =
                    layer.forward(ps, layerInputs, training, params)
                            .head(); // params: see IncrementalState
        }
        return new NDList(normalize(ps, x, training));
    }

    /**
     * Applies the final LayerNorm of a pre-norm stack; the identity for post-norm.
     *
     * @param ps the parameter store
     * @param x the last layer's output {@code [B, T, D]}
     * @param training whether in training mode
     * @return the stack's output {@code [B, T, D]}
     */
    public NDArray normalize(ParameterStore ps, NDArray x, boolean training) {
        return finalNorm == null ? x : finalNorm.forward(ps, new NDList(x), training).head();
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block layer : layers) {
            layer.initialize(manager, dataType, inputShapes);
        }
        if (finalNorm != null) {
            finalNorm.initialize(manager, dataType, inputShapes[0]);
        }
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

    /** Builds a {@link LayerStack}. */
    public static final class Builder {
        private int count;
        private Supplier<Block> layer;
        private NormPlacement placement = NormPlacement.POST;

        Builder() {}

        /**
         * Sets the layers: how many, and how to make each one.
         *
         * @param count the number of layers
         * @param layer makes one new layer
         * @return this builder
         */
        public Builder setLayers(int count, Supplier<Block> layer) {
            this.count = count;
            this.layer = layer;
            return this;
        }

        /**
         * Sets the norm placement (default POST); {@link NormPlacement#PRE} adds a final LayerNorm.
         *
         * @param placement the placement
         * @return this builder
         */
        public Builder optNormPlacement(NormPlacement placement) {
            this.placement = placement;
            return this;
        }

        /**
         * Builds the block.
         *
         * @return the block
         */
        public LayerStack build() {
            if (count <= 0 || layer == null) {
                throw new IllegalArgumentException("LayerStack needs a positive number of layers");
            }
            return new LayerStack(this);
        }
    }
}
