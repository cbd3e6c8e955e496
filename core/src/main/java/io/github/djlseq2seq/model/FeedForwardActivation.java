package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The activation between the feed-forward network's two linear maps. */
public enum FeedForwardActivation {
    /** {@code max(0, x)}, the paper's choice. */
    RELU,
    /** The exact (erf) Gaussian error linear unit, Hugging Face's {@code "gelu"}. */
    GELU,
    /** {@code x sigmoid(x)}, Hugging Face's {@code "swish"} / {@code "silu"} (OPUS-MT's). */
    SWISH;

    /**
     * Applies the activation.
     *
     * @param x the hidden values {@code [B, T, F]}
     * @return the activated values {@code [B, T, F]}
     */
    public NDArray apply(NDArray x) {
        return switch (this) {
            case RELU -> Activation.relu(x);
            case GELU -> Activation.gelu(x);
            case SWISH -> Activation.swish(x, 1f);
        };
    }
}
