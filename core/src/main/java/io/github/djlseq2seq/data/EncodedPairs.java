package io.github.djlseq2seq.data;

import ai.djl.util.Progress;
import java.util.ArrayList;
import java.util.List;

/**
 * Sentence pairs turned into {@code X' = [START, x…, END]} and {@code Y' = [START, y…, END]} int
 * arrays under the length limits; the storage behind {@link ParallelTextDataset}.
 */
final class EncodedPairs {

    /** The kept pairs, as read. */
    final List<TextPair> pairs;

    /** {@code X'} of each kept pair. */
    final int[][] sources;

    /** {@code Y'} of each kept pair: {@code Y_in = Y'[:-1]}, {@code Y_out = Y'[1:]}. */
    final int[][] targets;

    /** How many pairs were over a limit (skipped or truncated). */
    final int overLength;

    private EncodedPairs(List<TextPair> pairs, List<int[]> xs, List<int[]> ys, int overLength) {
        this.pairs = pairs;
        this.sources = xs.toArray(new int[0][]);
        this.targets = ys.toArray(new int[0][]);
        this.overLength = overLength;
    }

    /**
     * Encodes pairs in order until {@code limit} are kept.
     *
     * @param all the pairs as read
     * @param source the source tokenizer
     * @param target the target tokenizer
     * @param maxSource the longest {@code X'} (START and END included)
     * @param maxTarget the longest {@code Y_in} / {@code Y_out}
     * @param policy what to do with longer pairs
     * @param limit the most pairs to keep
     * @param progress reports progress, may be null
     * @return the encoded pairs
     */
    static EncodedPairs encode(
            List<TextPair> all,
            Seq2SeqTokenizer source,
            Seq2SeqTokenizer target,
            int maxSource,
            int maxTarget,
            OverLengthPolicy policy,
            long limit,
            Progress progress) {
        int capacity = (int) Math.min(limit, all.size());
        List<TextPair> kept = new ArrayList<>(capacity);
        List<int[]> xs = new ArrayList<>(capacity);
        List<int[]> ys = new ArrayList<>(capacity);
        if (progress != null) {
            progress.reset("Tokenizing", all.size());
        }
        int overLength = 0;
        int maxSourceId = 0;
        int maxTargetId = 0;
        for (int i = 0; i < all.size() && kept.size() < limit; i++) {
            if (progress != null) {
                progress.increment(1);
            }
            TextPair pair = all.get(i);
            int[] x = source.encode(pair.source());
            int[] y = target.encode(pair.target());
            maxSourceId = Math.max(maxSourceId, checkIds(x, source, pair.source()));
            maxTargetId = Math.max(maxTargetId, checkIds(y, target, pair.target()));
            if (x.length + 2 > maxSource || y.length + 1 > maxTarget) {
                overLength++;
                if (policy == OverLengthPolicy.SKIP) {
                    continue;
                }
            }
            kept.add(pair);
            xs.add(wrap(x, maxSource - 2)); // [START, x1 … xn, END]
            ys.add(wrap(y, maxTarget - 1)); // [START, y1 … ym, END]
        }
        if (progress != null) {
            progress.end();
        }
        checkVocabulary(maxSourceId, source, "source");
        checkVocabulary(maxTargetId, target, "target");
        return new EncodedPairs(kept, xs, ys, overLength);
    }

    /** Returns {@code [START, ids[0 … n-1], END]} with n = min(length, max). */
    private static int[] wrap(int[] ids, int max) {
        int n = Math.min(ids.length, max);
        int[] out = new int[n + 2];
        out[0] = SpecialTokens.START_ID;
        System.arraycopy(ids, 0, out, 1, n);
        out[n + 1] = SpecialTokens.END_ID;
        return out;
    }

    /** Rejects PAD and negative ids, which would corrupt masks and loss; returns the largest. */
    private static int checkIds(int[] ids, Seq2SeqTokenizer tokenizer, String text) {
        int max = 0;
        for (int id : ids) {
            if (id <= SpecialTokens.PAD_ID) {
                throw new IllegalStateException(
                        tokenizer.getClass().getSimpleName()
                                + " produced id "
                                + id
                                + " (PAD or negative) for: "
                                + text);
            }
            max = Math.max(max, id);
        }
        return max;
    }

    private static void checkVocabulary(int maxId, Seq2SeqTokenizer tokenizer, String side) {
        if (maxId >= tokenizer.size()) {
            throw new IllegalStateException(
                    side
                            + " id "
                            + maxId
                            + " is outside the vocabulary of size "
                            + tokenizer.size());
        }
    }
}
