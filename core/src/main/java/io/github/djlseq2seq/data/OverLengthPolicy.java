package io.github.djlseq2seq.data;

/** What {@link ParallelTextDataset} does with a pair longer than its maximum lengths. */
public enum OverLengthPolicy {

    /** Leave the pair out; the dataset counts and logs how many were left out. */
    SKIP,

    /**
     * Cut the sentence so that it fits, keeping {@code START} and {@code END}: {@code X'} becomes
     * {@code [START, x1 … x(S-2), END]} and {@code Y_out} becomes {@code [y1 … y(T-1), END]}; the
     * dataset counts how many pairs were cut.
     */
    TRUNCATE
}
