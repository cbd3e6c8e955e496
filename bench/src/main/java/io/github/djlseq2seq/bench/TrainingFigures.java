package io.github.djlseq2seq.bench;

/**
 * What one training benchmark measured.
 *
 * @param settings what was run
 * @param parameters the model's trainable scalars
 * @param stepSeconds the median wall time of one timed step
 * @param flopsPerStep the FLOPs of one step ({@link TrainingFlops#trainingStep})
 * @param firstLoss the loss of the first step (about ln 8000 ≈ 9.0 on random ids)
 * @param lastLoss the loss of the last step
 * @param rssKibFirst resident memory after step {@value BenchSettings#FIRST_MEMORY_STEP} in KiB
 * @param rssKibLast resident memory after step {@link BenchSettings#getMemorySteps()} in KiB, or -1
 *     when that is not beyond the first reading
 * @param heapKibFirst the Java heap committed at the first memory reading, in KiB
 * @param heapKibLast the Java heap committed at the second memory reading, in KiB, or -1
 * @param othersCpuPercent the share of the machine's CPU time other processes used during the timed
 *     steps ({@link CpuShare})
 */
public record TrainingFigures(
        BenchSettings settings,
        long parameters,
        double stepSeconds,
        double flopsPerStep,
        float firstLoss,
        float lastLoss,
        long rssKibFirst,
        long rssKibLast,
        long heapKibFirst,
        long heapKibLast,
        double othersCpuPercent) {

    /**
     * Returns the median step time in milliseconds.
     *
     * @return ms per step
     */
    public double msPerStep() {
        return stepSeconds * 1e3;
    }

    /**
     * Returns the target tokens trained on per second (B × T per step, no padding).
     *
     * @return target tokens/s
     */
    public double targetTokensPerSecond() {
        return (double) settings.getBatch() * settings.getTargetLength() / stepSeconds;
    }

    /**
     * Returns the achieved rate of model FLOPs.
     *
     * @return GFLOP/s
     */
    public double gflops() {
        return flopsPerStep / stepSeconds / 1e9;
    }

    /**
     * Returns the growth of resident memory between the two readings.
     *
     * @return percent, or NaN without a second reading
     */
    public double rssGrowthPercent() {
        if (rssKibFirst <= 0 || rssKibLast <= 0) {
            return Double.NaN;
        }
        return 100.0 * (rssKibLast - rssKibFirst) / rssKibFirst;
    }
}
