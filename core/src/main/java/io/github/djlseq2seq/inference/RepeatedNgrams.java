package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Repeated n-gram blocking, fairseq's {@code --no-repeat-ngram-size}: a token is banned as the next
 * one when, with the n − 1 tokens before it, it would repeat an n-gram the output already holds. It
 * stops the loops ("de la casa de la casa de la casa") an undertrained model falls into.
 */
final class RepeatedNgrams {

    private RepeatedNgrams() {}

    /**
     * The tokens that may not come next.
     *
     * @param history the tokens produced so far
     * @param n the n-gram size, ≥ 1
     * @return the banned tokens (possibly repeated), empty when none
     */
    static int[] banned(int[] history, int n) {
        int length = history.length;
        if (length < n) {
            return new int[0];
        }
        int[] out = new int[length - n + 1];
        int count = 0;
        // the n-gram starting at i is banned-able when its first n − 1 tokens equal the last n − 1
        for (int i = 0; i + n - 1 < length; i++) {
            boolean match = true;
            for (int j = 0; j < n - 1 && match; j++) {
                match = history[i + j] == history[length - n + 1 + j];
            }
            if (match) {
                out[count++] = history[i + n - 1];
            }
        }
        return Arrays.copyOf(out, count);
    }

    /**
     * Bans, in each row of the log-probabilities, the tokens that would repeat an n-gram.
     *
     * @param manager the step's manager, where the mask is made
     * @param logProbs the {@code [rows, V]} next-token log-probabilities
     * @param histories the tokens produced so far, one array per row
     * @param n the n-gram size, ≥ 1
     * @return the log-probabilities with −∞ at banned tokens (the same array when none is)
     */
    static NDArray block(NDManager manager, NDArray logProbs, int[][] histories, int n) {
        NDArray mask = mask(manager, histories, n, (int) logProbs.getShape().get(1));
        return mask == null ? logProbs : logProbs.add(mask.toDevice(logProbs.getDevice(), false));
    }

    /**
     * The additive mask that bans, in each row, its repeated n-gram completions.
     *
     * @param manager where the mask is made
     * @param histories the tokens produced so far, one array per row
     * @param n the n-gram size, ≥ 1
     * @param vocabSize the number of columns
     * @return a {@code [rows, V]} array of 0 and −∞, or null when nothing is banned
     */
    static NDArray mask(NDManager manager, int[][] histories, int n, int vocabSize) {
        float[] mask = null;
        for (int r = 0; r < histories.length; r++) {
            for (int token : banned(histories[r], n)) {
                if (mask == null) {
                    mask = new float[histories.length * vocabSize];
                }
                mask[r * vocabSize + token] = Float.NEGATIVE_INFINITY;
            }
        }
        return mask == null ? null : manager.create(mask, new Shape(histories.length, vocabSize));
    }
}
