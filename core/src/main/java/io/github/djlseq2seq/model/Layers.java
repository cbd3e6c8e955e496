package io.github.djlseq2seq.model;

/** Builds the sub-layers that encoder and decoder layers share, from one configuration. */
final class Layers {

    private Layers() {}

    static MultiHeadAttention selfAttention(TransformerConfig config) {
        return attention(config, false);
    }

    static MultiHeadAttention crossAttention(TransformerConfig config) {
        return attention(config, true);
    }

    private static MultiHeadAttention attention(TransformerConfig config, boolean cross) {
        return MultiHeadAttention.builder()
                .setModelDim(config.modelDim())
                .setNumHeads(config.numHeads())
                .optDropout(config.dropout())
                .optCross(cross)
                .build();
    }

    static FeedForward feedForward(TransformerConfig config) {
        return FeedForward.builder()
                .setModelDim(config.modelDim())
                .setHiddenDim(config.feedForwardDim())
                .optDropout(config.dropout())
                .build();
    }

    static SublayerConnection connection(TransformerConfig config) {
        return SublayerConnection.builder()
                .optNormPlacement(config.normPlacement())
                .optDropout(config.dropout())
                .build();
    }
}
