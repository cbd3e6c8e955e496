package io.github.djlseq2seq.train;

/**
 * The learning-rate schedule of "Attention Is All You Need": linear warmup, then decay with the
 * inverse square root of the step.
 *
 * <pre>
 *   lr(step) = peak · min(step / warmup, sqrt(warmup / step))      step ≥ 1
 * </pre>
 *
 * <p>With {@code peak = d^-0.5 · warmup^-0.5} this is exactly the paper's formula {@code d^-0.5 ·
 * min(step^-0.5, step · warmup^-1.5)}; see {@link Builder#optPaperPeak(int)}.
 */
public class InverseSqrtSchedule extends WarmupSchedule {

    InverseSqrtSchedule(Builder builder) {
        super(builder);
    }

    /**
     * Creates a builder (defaults: peak 7e-4, warmup 4000).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public float getNewValue(int numUpdate) {
        double step = Math.max(1, numUpdate);
        return (float) (peak * Math.min(warmupFactor(step), Math.sqrt(warmup / step)));
    }

    /** Builds an {@link InverseSqrtSchedule}. */
    public static final class Builder extends BaseBuilder<Builder> {

        Builder() {
            super(7e-4f, 4000);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the peak to the paper's {@code d^-0.5 · warmup^-0.5}; call after {@link
         * #optWarmupSteps}.
         *
         * @param modelDim the model width d
         * @return this builder
         */
        public Builder optPaperPeak(int modelDim) {
            return optPeak((float) (1 / Math.sqrt((double) modelDim * warmup)));
        }

        /**
         * Builds the schedule.
         *
         * @return the schedule
         */
        public InverseSqrtSchedule build() {
            validate();
            return new InverseSqrtSchedule(this);
        }
    }
}
