package io.github.djlseq2seq.train;

/**
 * Linear warmup, then linear decay to zero at the end of the training budget — steps or wall-clock
 * time, whichever runs out first.
 *
 * <pre>
 *   lr(step) = peak · min(step / warmup, 1) · (1 − progress)      progress ∈ [0, 1]
 * </pre>
 *
 * <p>The rate reaches zero exactly when the budget ends, so the last steps refine rather than
 * jitter (Li, Yumer and Ramanan, "Budgeted Training", ICLR 2020). That pays once a model nears
 * convergence; far from it, as in the 10-minute runs of the README's study, an inverse-square-root
 * decay that keeps the rate high scored better. The training loop reports the progress before each
 * step ({@link #setProgress}); with a time budget it is the fraction of time spent, so the schedule
 * adapts to the machine's speed.
 */
public class BudgetSchedule extends WarmupSchedule {

    private volatile double progress;

    BudgetSchedule(Builder builder) {
        super(builder);
    }

    /**
     * Creates a builder (defaults: peak 1e-3, warmup 100).
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
        return (float) (peak * warmupFactor(Math.max(1, numUpdate)) * (1 - progress));
    }

    /** Builds a {@link BudgetSchedule}. */
    public static final class Builder extends BaseBuilder<Builder> {

        Builder() {
            super(1e-3f, 100);
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the schedule.
         *
         * @return the schedule
         */
        public BudgetSchedule build() {
            validate();
            return new BudgetSchedule(this);
        }
    }
}
