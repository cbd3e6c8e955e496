package io.github.djlseq2seq.model;

/** Builds the sub-layers that encoder and decoder layers share, from one configuration. */
final class Layers {

    private Layers() {}

    static MultiHeadAttention attention(TransformerConfig config) {
        return MultiHeadAttention.builder()
                .setModelDim(config.getModelDim())
                .setNumHeads(config.getNumHeads())
                .optDropout(config.getDropout())
                .build();
    }

    static FeedForward feedForward(TransformerConfig config) {
        return FeedForward.builder()
                .setModelDim(config.getModelDim())
                .setHiddenDim(config.getFeedForwardDim())
                .optDropout(config.getDropout())
                .build();
    }

    static SublayerConnection connection(TransformerConfig config) {
        return SublayerConnection.builder()
                .optNormPlacement(config.getNormPlacement())
                .optDropout(config.getDropout())
                .build();
    }
}
