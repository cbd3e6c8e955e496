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

    /**
     * Creates a stack.
     *
     * @param count the number of layers
     * @param layer makes one new layer
     * @param placement the norm placement; {@link NormPlacement#PRE} adds a final LayerNorm
     */
    public LayerStack(int count, Supplier<Block> layer, NormPlacement placement) {
        super(VERSION);
        for (int i = 0; i < count; i++) {
            layers.add(addChildBlock("layer" + i, layer.get()));
        }
        finalNorm =
                placement == NormPlacement.PRE
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
}
