package io.github.djlseq2seq.inference;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.ToIntFunction;

/**
 * Groups sentences of similar length into batches, which wastes little padding: the sentences are
 * sorted by length (stably, so equal lengths keep their input order), then cut into batches of at
 * most {@code maxSentences} sentences whose padded size {@code sentences · (longest + 2)} (START
 * and END included) stays within {@code maxTokens}. A sentence longer than the budget alone gets a
 * batch of its own.
 *
 * <pre>
 *   lengths [9, 2, 5, 2], maxTokens 16   →   sorted positions [1, 3, 2, 0]
 *   [1, 3]   2 · (2 + 2) =  8 ≤ 16; adding 2 would make 3 · (5 + 2) = 21
 *   [2]      adding 0 would make 2 · (9 + 2) = 22
 *   [0]
 * </pre>
 */
public final class LengthBatches {

    private final int maxSentences;
    private final long maxTokens;

    /**
     * Creates a batch planner.
     *
     * @param maxSentences the most sentences in a batch, at least 1
     * @param maxTokens the most padded source tokens in a batch ({@code Long.MAX_VALUE}: no limit)
     * @throws IllegalArgumentException if a limit is below 1
     */
    public LengthBatches(int maxSentences, long maxTokens) {
        if (maxSentences < 1) {
            throw new IllegalArgumentException(
                    "maxSentences must be at least 1, got " + maxSentences);
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1, got " + maxTokens);
        }
        this.maxSentences = maxSentences;
        this.maxTokens = maxTokens;
    }

    /**
     * Plans the batches of sentences with the given lengths.
     *
     * @param lengths each sentence's length (e.g. its source tokens)
     * @return the batches, each the sentences' positions in {@code lengths}, shortest first
     */
    public List<int[]> plan(int[] lengths) {
        Integer[] order = new Integer[lengths.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
        List<int[]> batches = new ArrayList<>();
        int from = 0;
        while (from < order.length) {
            int to = from + 1; // one sentence always fits
            while (to < order.length
                    && to - from < maxSentences
                    && (to - from + 1L) * (lengths[order[to]] + 2L) <= maxTokens) {
                to++;
            }
            int[] batch = new int[to - from];
            for (int k = from; k < to; k++) {
                batch[k - from] = order[k];
            }
            batches.add(batch);
            from = to;
        }
        return batches;
    }

    /**
     * Translates sentences in length-sorted batches and returns the translations in input order.
     *
     * @param predictor a String → String predictor
     * @param sentences the sentences
     * @param length the length of a sentence that the batches are planned by
     * @param translated told the number of sentences of each batch once it is translated
     * @return the translations, in input order
     * @throws TranslateException if a batch fails
     */
    public String[] translate(
            Predictor<String, String> predictor,
            List<String> sentences,
            ToIntFunction<String> length,
            IntConsumer translated)
            throws TranslateException {
        int[] lengths = new int[sentences.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = length.applyAsInt(sentences.get(i));
        }
        String[] out = new String[lengths.length];
        for (int[] batch : plan(lengths)) {
            List<String> inputs = new ArrayList<>(batch.length);
            for (int i : batch) {
                inputs.add(sentences.get(i));
            }
            List<String> outputs = predictor.batchPredict(inputs);
            for (int k = 0; k < batch.length; k++) {
                out[batch[k]] = outputs.get(k);
            }
            translated.accept(batch.length);
        }
        return out;
    }
}
