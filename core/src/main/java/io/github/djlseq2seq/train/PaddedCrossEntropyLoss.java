package io.github.djlseq2seq.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import io.github.djlseq2seq.data.SpecialTokens;

/**
 * Token-level cross-entropy from logits with sparse labels, as DJL's {@code
 * SoftmaxCrossEntropyLoss}, that ignores PAD targets and offers label smoothing (the specification,
 * docs/SPEC.md §3).
 *
 * <p>For position t with logits z and target y, using the log-sum-exp form (stable for |z| = 1e4):
 *
 * <pre>
 *   nll_t    = -log softmax(z)[y]
 *   smooth_t = -mean_j log softmax(z)[j]
 *   loss_t   = (1 - ε) nll_t + ε smooth_t       (PyTorch's label_smoothing = ε)
 * </pre>
 *
 * <p>PAD targets contribute nothing. Reduction {@link Reduction#SUM} adds the per-position losses;
 * {@link Reduction#MEAN} divides that sum by the number of non-PAD targets.
 *
 * <p>Inputs: labels {@code NDList(Y_out [B, T])}, predictions {@code NDList(logits [B, T, V])}.
 */
public class PaddedCrossEntropyLoss extends Loss {

    /** How per-position losses are combined. */
    public enum Reduction {
        /** Sum over non-PAD positions. */
        SUM,
        /** Mean over non-PAD positions. */
        MEAN
    }

    private final float labelSmoothing;
    private final Reduction reduction;

    PaddedCrossEntropyLoss(Builder builder) {
        super(builder.name);
        labelSmoothing = builder.labelSmoothing;
        reduction = builder.reduction;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.head(); // [B, T, V]
        long vocab = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray logProbs = logits.reshape(-1, vocab).logSoftmax(-1); // [N, V], N = B·T
        NDArray target = labels.head().flatten(); // [N]
        NDArray index = target.toType(DataType.INT64, false).reshape(-1, 1); // [N, 1]
        NDArray nll = logProbs.gather(index, 1).reshape(-1).neg(); // [N]
        NDArray perToken = nll;
        if (labelSmoothing > 0) {
            NDArray smooth = logProbs.mean(new int[] {-1}).neg(); // [N]
            perToken = nll.mul(1 - labelSmoothing).add(smooth.mul(labelSmoothing));
        }
        NDArray keep =
                target.neq(SpecialTokens.PAD_ID).toType(perToken.getDataType(), false); // [N]
        NDArray sum = perToken.mul(keep).sum();
        if (reduction == Reduction.SUM) {
            return sum;
        }
        return sum.div(keep.sum().maximum(1));
    }

    /**
     * Returns the label smoothing ε.
     *
     * @return ε in [0, 1)
     */
    public float getLabelSmoothing() {
        return labelSmoothing;
    }

    /**
     * Counts the non-PAD targets of a label batch.
     *
     * @param labels {@code Y_out [B, T]}
     * @return the number of target tokens, as a scalar INT64 array
     */
    public NDArray countTargets(NDArray labels) {
        return labels.neq(SpecialTokens.PAD_ID).toType(DataType.INT64, false).sum();
    }

    /** Builds a {@link PaddedCrossEntropyLoss}. */
    public static final class Builder {
        private String name = "loss";
        private float labelSmoothing;
        private Reduction reduction = Reduction.MEAN;

        Builder() {}

        /**
         * Sets the loss name shown in logs (default "loss").
         *
         * @param name the name
         * @return this builder
         */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /**
         * Sets the label smoothing ε in [0, 1) (default 0).
         *
         * @param epsilon the smoothing
         * @return this builder
         */
        public Builder optLabelSmoothing(float epsilon) {
            this.labelSmoothing = epsilon;
            return this;
        }

        /**
         * Sets the reduction (default {@link Reduction#MEAN} over non-PAD targets).
         *
         * @param reduction the reduction
         * @return this builder
         */
        public Builder optReduction(Reduction reduction) {
            this.reduction = reduction;
            return this;
        }

        /**
         * Builds the loss.
         *
         * @return the loss
         */
        public PaddedCrossEntropyLoss build() {
            if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
                throw new IllegalArgumentException(
                        "labelSmoothing must be in [0, 1), got " + labelSmoothing);
            }
            if (reduction == null) {
                throw new IllegalArgumentException("reduction must be SUM or MEAN");
            }
            return new PaddedCrossEntropyLoss(this);
        }
    }
}
