package io.github.djlseq2seq.train;

import ai.djl.training.tracker.Tracker;

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
public class InverseSqrtSchedule implements Tracker {

    private final float peak;
    private final int warmup;

    InverseSqrtSchedule(Builder builder) {
        peak = builder.peak;
        warmup = builder.warmup;
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
    public float getNewValue(int numUpdate) {
        double step = Math.max(1, numUpdate);
        return (float) (peak * Math.min(step / warmup, Math.sqrt(warmup / step)));
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "InverseSqrtSchedule(peak=" + peak + ", warmup=" + warmup + ")";
    }

    /** Builds an {@link InverseSqrtSchedule}. */
    public static final class Builder {
        private float peak = 7e-4f;
        private int warmup = 4000;

        Builder() {}

        /**
         * Sets the peak learning rate, reached at the end of warmup (default 7e-4).
         *
         * @param peak the peak learning rate
         * @return this builder
         */
        public Builder optPeak(float peak) {
            this.peak = peak;
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
            this.peak = (float) (1 / Math.sqrt((double) modelDim * warmup));
            return this;
        }

        /**
         * Sets the number of warmup steps (default 4000).
         *
         * @param steps the warmup steps
         * @return this builder
         */
        public Builder optWarmupSteps(int steps) {
            this.warmup = steps;
            return this;
        }

        /**
         * Builds the schedule.
         *
         * @return the schedule
         */
        public InverseSqrtSchedule build() {
            if (warmup <= 0 || !(peak > 0)) {
                throw new IllegalArgumentException(
                        "warmup steps and peak learning rate must be positive, got "
                                + warmup
                                + " and "
                                + peak);
            }
            return new InverseSqrtSchedule(this);
        }
    }
}
