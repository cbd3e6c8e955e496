package io.github.djlseq2seq.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Counts word and character n-grams the way sacreBLEU's {@code helpers.py} does. */
final class NGrams {

    private NGrams() {}

    /**
     * Counts the word n-grams of one order.
     *
     * @param words the words
     * @param n the order, at least 1
     * @return each n-gram (its words joined by single spaces) with its count
     */
    static Map<String, Integer> words(List<String> words, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= words.size(); i++) {
            counts.merge(String.join(" ", words.subList(i, i + n)), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Counts the character n-grams of one order. Characters are Unicode code points, as in a Python
     * string, not UTF-16 units.
     *
     * @param codePoints the characters
     * @param n the order, at least 1
     * @return each n-gram with its count
     */
    static Map<String, Integer> chars(int[] codePoints, int n) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= codePoints.length; i++) {
            counts.merge(new String(codePoints, i, n), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Counts the n-grams of a hypothesis that a reference also has, each at most as often as the
     * reference has it (clipped counts).
     *
     * @param hypothesis the hypothesis n-grams
     * @param reference the reference n-grams
     * @return the number of matches
     */
    static int matches(Map<String, Integer> hypothesis, Map<String, Integer> reference) {
        int matches = 0;
        for (Map.Entry<String, Integer> e : hypothesis.entrySet()) {
            Integer refCount = reference.get(e.getKey());
            if (refCount != null) {
                matches += Math.min(e.getValue(), refCount);
            }
        }
        return matches;
    }

    /**
     * Sums the counts of a count map.
     *
     * @param counts n-gram counts
     * @return the total number of n-grams
     */
    static int total(Map<String, Integer> counts) {
        int total = 0;
        for (int c : counts.values()) {
            total += c;
        }
        return total;
    }
}
