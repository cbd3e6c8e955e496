package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.precision.MatrixProducts;
import io.github.djlseq2seq.precision.Precision;

/** Builds the sub-layers that encoder and decoder layers share, from one configuration. */
final class Layers {

    private Layers() {}

    static MultiHeadAttention selfAttention(TransformerConfig config, Precision precision) {
        return attention(config, false, precision);
    }

    static MultiHeadAttention crossAttention(TransformerConfig config, Precision precision) {
        return attention(config, true, precision);
    }

    private static MultiHeadAttention attention(
            TransformerConfig config, boolean cross, Precision precision) {
        return MultiHeadAttention.builder()
                .setModelDim(config.modelDim())
                .setNumHeads(config.numHeads())
                .optDropout(config.dropout())
                .optPrecision(precision)
                .optCross(cross)
                .build();
    }

    static FeedForward feedForward(TransformerConfig config, Precision precision) {
        return FeedForward.builder()
                .setModelDim(config.modelDim())
                .setHiddenDim(config.feedForwardDim())
                .optDropout(config.dropout())
                .optActivation(config.activation())
                .optPrecision(precision)
                .build();
    }

    static SublayerConnection connection(TransformerConfig config) {
        return SublayerConnection.builder()
                .optNormPlacement(config.normPlacement())
                .optDropout(config.dropout())
                .build();
    }

    /**
     * Applies a DJL {@link Linear} block's parameters through the given products: what {@code
     * linear.forward} computes, in the products' precision.
     */
    static NDArray linear(
            ParameterStore ps,
            MatrixProducts products,
            Linear linear,
            NDArray x,
            boolean training) {
        NDArray w = ps.getValue(linear.getParameters().get("weight"), x.getDevice(), training);
        NDArray b = ps.getValue(linear.getParameters().get("bias"), x.getDevice(), training);
        return products.linear(x, w, b);
    }
}
