package io.github.djlseq2seq.model;

/**
 * How the sinusoidal position encoding lays out its sine and cosine features over the model width
 * D, with frequencies {@code ω_i = 10000^(-2i/D)}, {@code i < D/2}.
 */
public enum PositionEncoding {
    /** The paper's layout: {@code PE(p, 2i) = sin(p ω_i)}, {@code PE(p, 2i+1) = cos(p ω_i)}. */
    INTERLEAVED,
    /**
     * Marian's layout (Hugging Face's {@code MarianSinusoidalPositionalEmbedding}): all sines
     * first, {@code PE(p, i) = sin(p ω_i)}, then all cosines, {@code PE(p, D/2 + i) = cos(p ω_i)}.
     */
    SPLIT
}
