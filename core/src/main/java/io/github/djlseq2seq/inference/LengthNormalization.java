package io.github.djlseq2seq.inference;

/**
 * How beam search divides a finished hypothesis's log-probability by its length, and when it stops;
 * {@code len} counts the output tokens plus END.
 */
public enum LengthNormalization {
    /**
     * GNMT's {@code ((5 + len) / 6)^α} (Wu et al., 2016); the search stops once no live beam can
     * beat the best finished one even at the maximum length, or once beamSize have finished.
     */
    GNMT,
    /**
     * Hugging Face's {@code len^α} ({@code length_penalty}); the search stops as {@code
     * generate(early_stopping=...)} does: with early stopping once beamSize have finished, else
     * once beamSize have finished and the best live beam, normalised at its current length, no
     * longer beats the worst of the beamSize best finished ones.
     */
    HUGGING_FACE
}
