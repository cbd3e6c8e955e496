package io.github.djlseq2seq.train;

/**
 * The immutable knobs of a training run: budget, optimisation, regularisation, logging and
 * checkpoints. Built with {@link #builder()}; {@link Builder#build()} rejects bad values by name.
 */
public final class TrainingSettings {

    private final int maxEpochs;
    private final int maxSteps;
    private final double maxMinutes;
    private final float peakLearningRate;
    private final int warmupSteps;
    private final Decay decay;
    private final float clipNorm;
    private final float labelSmoothing;
    private final long seed;
    private final int logEvery;
    private final int checkpointEvery;
    private final int keepCheckpoints;
    private final int maxSkippedBatches;

    private TrainingSettings(Builder b) {
        maxEpochs = b.maxEpochs;
        maxSteps = b.maxSteps;
        maxMinutes = b.maxMinutes;
        peakLearningRate = b.peakLearningRate;
        warmupSteps = b.warmupSteps;
        decay = b.decay;
        clipNorm = b.clipNorm;
        labelSmoothing = b.labelSmoothing;
        seed = b.seed;
        logEvery = b.logEvery;
        checkpointEvery = b.checkpointEvery;
        keepCheckpoints = b.keepCheckpoints;
        maxSkippedBatches = b.maxSkippedBatches;
    }

    /**
     * Creates a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the most epochs to run
     */
    public int getMaxEpochs() {
        return maxEpochs;
    }

    /**
     * @return the most optimizer steps to run, 0 for no limit
     */
    public int getMaxSteps() {
        return maxSteps;
    }

    /**
     * @return the wall-clock budget in minutes (resumed runs included), 0 for no limit
     */
    public double getMaxMinutes() {
        return maxMinutes;
    }

    /**
     * @return the learning rate reached at the end of warmup
     */
    public float getPeakLearningRate() {
        return peakLearningRate;
    }

    /**
     * @return the number of warmup steps
     */
    public int getWarmupSteps() {
        return warmupSteps;
    }

    /**
     * @return the global gradient-norm limit, 0 for no clipping
     */
    public float getClipNorm() {
        return clipNorm;
    }

    /**
     * @return the label smoothing ε
     */
    public float getLabelSmoothing() {
        return labelSmoothing;
    }

    /**
     * @return the seed of every random choice of the run
     */
    public long getSeed() {
        return seed;
    }

    /**
     * @return the number of steps between log lines
     */
    public int getLogEvery() {
        return logEvery;
    }

    /**
     * @return the number of steps between checkpoints, 0 for epoch ends only
     */
    public int getCheckpointEvery() {
        return checkpointEvery;
    }

    /**
     * @return how many of the latest checkpoints to keep (the best is kept apart)
     */
    public int getKeepCheckpoints() {
        return keepCheckpoints;
    }

    /**
     * @return how many batches whose loss or gradient norm is NaN or infinite a run may skip before
     *     it stops; 0 stops at the first
     */
    public int getMaxSkippedBatches() {
        return maxSkippedBatches;
    }

    /**
     * @return how the learning rate falls after warmup
     */
    public Decay getDecay() {
        return decay;
    }

    /** How the learning rate falls after warmup. */
    public enum Decay {
        /** With the inverse square root of the step ({@link InverseSqrtSchedule}), open-ended. */
        INVERSE_SQRT,
        /** Linearly to zero at the end of the step or time budget ({@link BudgetSchedule}). */
        LINEAR_TO_BUDGET
    }

    /** Builds {@link TrainingSettings}. */
    public static final class Builder {
        private int maxEpochs = 1000;
        private int maxSteps;
        private double maxMinutes;
        private float peakLearningRate = 7e-4f;
        private int warmupSteps = 4000;
        private Decay decay = Decay.INVERSE_SQRT;
        private float clipNorm = 1f;
        private float labelSmoothing = 0.1f;
        private long seed = 42;
        private int logEvery = 50;
        private int checkpointEvery;
        private int keepCheckpoints = 2;
        private int maxSkippedBatches;

        Builder() {}

        /**
         * Sets the most epochs (default 1000).
         *
         * @param epochs the epochs
         * @return this builder
         */
        public Builder optMaxEpochs(int epochs) {
            maxEpochs = epochs;
            return this;
        }

        /**
         * Sets the most optimizer steps (default 0, no limit).
         *
         * @param steps the steps
         * @return this builder
         */
        public Builder optMaxSteps(int steps) {
            maxSteps = steps;
            return this;
        }

        /**
         * Sets the wall-clock budget (default 0, no limit).
         *
         * @param minutes the minutes
         * @return this builder
         */
        public Builder optMaxMinutes(double minutes) {
            maxMinutes = minutes;
            return this;
        }

        /**
         * Sets the peak learning rate (default 7e-4).
         *
         * @param lr the learning rate
         * @return this builder
         */
        public Builder optPeakLearningRate(float lr) {
            peakLearningRate = lr;
            return this;
        }

        /**
         * Sets the warmup steps (default 4000).
         *
         * @param steps the steps
         * @return this builder
         */
        public Builder optWarmupSteps(int steps) {
            warmupSteps = steps;
            return this;
        }

        /**
         * Sets the global gradient-norm limit (default 1, 0 disables).
         *
         * @param norm the limit
         * @return this builder
         */
        public Builder optClipNorm(float norm) {
            clipNorm = norm;
            return this;
        }

        /**
         * Sets the label smoothing ε (default 0.1).
         *
         * @param epsilon the smoothing
         * @return this builder
         */
        public Builder optLabelSmoothing(float epsilon) {
            labelSmoothing = epsilon;
            return this;
        }

        /**
         * Sets the seed (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the steps between log lines (default 50).
         *
         * @param steps the steps
         * @return this builder
         */
        public Builder optLogEvery(int steps) {
            logEvery = steps;
            return this;
        }

        /**
         * Sets the steps between checkpoints (default 0: at epoch ends and at the end only).
         *
         * @param steps the steps
         * @return this builder
         */
        public Builder optCheckpointEvery(int steps) {
            checkpointEvery = steps;
            return this;
        }

        /**
         * Sets how many recent checkpoints to keep (default 2).
         *
         * @param count the count
         * @return this builder
         */
        public Builder optKeepCheckpoints(int count) {
            keepCheckpoints = count;
            return this;
        }

        /**
         * Sets how many batches with a NaN or infinite loss or gradient norm a run may skip, over
         * all its resumed segments (default 0: the first one stops training with {@link
         * TrainingDivergedException}). A skipped batch changes neither the parameters nor Adam's
         * moments and is not counted as a step; it is logged and counted in {@link
         * TrainingState#skippedBatches}. One more than this many stops training.
         *
         * @param count the most batches to skip, 0 or more
         * @return this builder
         */
        public Builder optMaxSkippedBatches(int count) {
            maxSkippedBatches = count;
            return this;
        }

        /**
         * Sets how the learning rate falls after warmup (default {@link Decay#INVERSE_SQRT});
         * {@link Decay#LINEAR_TO_BUDGET} needs a step or time budget.
         *
         * @param decay the decay
         * @return this builder
         */
        public Builder optDecay(Decay decay) {
            this.decay = decay;
            return this;
        }

        /**
         * Validates and builds the settings.
         *
         * @return the settings
         */
        public TrainingSettings build() {
            check(maxEpochs > 0, "maxEpochs must be positive, got " + maxEpochs);
            check(maxSteps >= 0, "maxSteps must be ≥ 0, got " + maxSteps);
            check(maxMinutes >= 0, "maxMinutes must be ≥ 0, got " + maxMinutes);
            check(peakLearningRate > 0, "peakLearningRate must be positive");
            check(warmupSteps > 0, "warmupSteps must be positive, got " + warmupSteps);
            check(decay != null, "decay must be set");
            check(
                    decay != Decay.LINEAR_TO_BUDGET || maxSteps > 0 || maxMinutes > 0,
                    "decay LINEAR_TO_BUDGET needs a step or time budget (maxSteps or maxMinutes)");
            check(clipNorm >= 0, "clipNorm must be ≥ 0, got " + clipNorm);
            check(
                    labelSmoothing >= 0 && labelSmoothing < 1,
                    "labelSmoothing must be in [0, 1), got " + labelSmoothing);
            check(logEvery > 0, "logEvery must be positive, got " + logEvery);
            check(checkpointEvery >= 0, "checkpointEvery must be ≥ 0, got " + checkpointEvery);
            check(keepCheckpoints > 0, "keepCheckpoints must be positive, got " + keepCheckpoints);
            check(
                    maxSkippedBatches >= 0,
                    "maxSkippedBatches must be ≥ 0, got " + maxSkippedBatches);
            return new TrainingSettings(this);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
