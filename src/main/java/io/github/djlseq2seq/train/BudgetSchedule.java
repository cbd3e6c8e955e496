package io.github.djlseq2seq.train;

import ai.djl.training.tracker.Tracker;

/**
 * Linear warmup, then linear decay to zero at the end of the training budget — steps or wall-clock
 * time, whichever runs out first.
 *
 * <pre>
 *   lr(step) = peak · min(step / warmup, 1) · (1 − progress)      progress ∈ [0, 1]
 * </pre>
 *
 * <p>For a fixed budget this beats an open-ended inverse-square-root decay: the rate stays high
 * while the model learns fastest and reaches zero exactly when the budget ends, so the last steps
 * refine rather than jitter (Li, Yumer and Ramanan, "Budgeted Training", ICLR 2020). The training
 * loop reports the progress before each step ({@link #setProgress}); with a time budget it is the
 * fraction of time spent, so the schedule adapts to the machine's speed.
 */
public class BudgetSchedule implements Tracker {

    private final float peak;
    private final int warmup;
    private volatile double progress;

    BudgetSchedule(Builder builder) {
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

    /**
     * Sets how much of the budget is spent.
     *
     * @param progress the fraction spent, clamped to [0, 1]
     */
    public void setProgress(double progress) {
        this.progress = Math.min(1, Math.max(0, progress));
    }

    /**
     * Returns how much of the budget is spent.
     *
     * @return the fraction spent, in [0, 1]
     */
    public double getProgress() {
        return progress;
    }

    /** {@inheritDoc} */
    @Override
    public float getNewValue(int numUpdate) {
        double step = Math.max(1, numUpdate);
        return (float) (peak * Math.min(step / warmup, 1) * (1 - progress));
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "BudgetSchedule(peak=" + peak + ", warmup=" + warmup + ")";
    }

    /** Builds a {@link BudgetSchedule}. */
    public static final class Builder {
        private float peak = 1e-3f;
        private int warmup = 100;

        Builder() {}

        /**
         * Sets the rate reached at the end of warmup (default 1e-3).
         *
         * @param peak the peak learning rate
         * @return this builder
         */
        public Builder optPeak(float peak) {
            this.peak = peak;
            return this;
        }

        /**
         * Sets the number of warmup steps (default 100).
         *
         * @param steps the warmup length
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
        public BudgetSchedule build() {
            if (warmup <= 0 || !(peak > 0)) {
                throw new IllegalArgumentException(
                        "warmup steps and peak learning rate must be positive, got "
                                + warmup
                                + " and "
                                + peak);
            }
            return new BudgetSchedule(this);
        }
    }
}
