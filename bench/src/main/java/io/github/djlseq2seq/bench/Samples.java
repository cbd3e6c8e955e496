package io.github.djlseq2seq.bench;

import java.util.Arrays;

/** Robust summaries of repeated timings. */
public final class Samples {

    private Samples() {}

    /**
     * Returns the median (the mean of the two middle values for an even count).
     *
     * @param values the samples, at least one; not modified
     * @return the median
     */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of no samples");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
