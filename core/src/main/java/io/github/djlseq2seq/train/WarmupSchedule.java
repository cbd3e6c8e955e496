package io.github.djlseq2seq.train;

import ai.djl.training.tracker.Tracker;

/**
 * A learning-rate schedule that rises linearly to a peak over the first steps, then decays as the
 * subclass defines ({@link InverseSqrtSchedule}, {@link BudgetSchedule}).
 */
public abstract class WarmupSchedule implements Tracker {

    /** The rate reached at the end of warmup. */
    protected final float peak;

    /** The number of warmup steps. */
    protected final int warmup;

    /**
     * Creates the schedule from its builder's values.
     *
     * @param builder the builder
     */
    protected WarmupSchedule(BaseBuilder<?> builder) {
        peak = builder.peak;
        warmup = builder.warmup;
    }

    /**
     * Returns the warmup factor {@code min(step / warmup, 1)}.
     *
     * @param step the 1-based step
     * @return the factor in (0, 1]
     */
    protected double warmupFactor(double step) {
        return Math.min(step / warmup, 1);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "(peak=" + peak + ", warmup=" + warmup + ")";
    }

    /**
     * The builder fields shared by warmup schedules.
     *
     * @param <T> the concrete builder
     */
    public abstract static class BaseBuilder<T extends BaseBuilder<T>> {
        float peak;
        int warmup;

        BaseBuilder(float peak, int warmup) {
            this.peak = peak;
            this.warmup = warmup;
        }

        /**
         * Returns this builder as its concrete type.
         *
         * @return this builder
         */
        protected abstract T self();

        /**
         * Sets the peak learning rate, reached at the end of warmup.
         *
         * @param peak the peak learning rate
         * @return this builder
         */
        public T optPeak(float peak) {
            this.peak = peak;
            return self();
        }

        /**
         * Sets the number of warmup steps.
         *
         * @param steps the warmup steps
         * @return this builder
         */
        public T optWarmupSteps(int steps) {
            this.warmup = steps;
            return self();
        }

        /** Checks the shared values, naming the bad one. */
        void validate() {
            if (warmup <= 0 || !(peak > 0)) {
                throw new IllegalArgumentException(
                        "warmup steps and peak learning rate must be positive, got "
                                + warmup
                                + " and "
                                + peak);
            }
        }
    }
}
