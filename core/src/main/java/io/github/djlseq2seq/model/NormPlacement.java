package io.github.djlseq2seq.model;

/** Where each sub-layer's LayerNorm sits relative to its residual connection. */
public enum NormPlacement {
    /** {@code LayerNorm(x + Sublayer(x))}, as in "Attention Is All You Need". */
    POST,
    /** {@code x + Sublayer(LayerNorm(x))}, with one final LayerNorm after each stack. */
    PRE
}
