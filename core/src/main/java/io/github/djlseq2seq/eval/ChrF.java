package io.github.djlseq2seq.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * chrF (Popović, 2015) and chrF++ (Popović, 2017) exactly as sacreBLEU 2.x computes them.
 *
 * <p>The defaults are sacreBLEU's: character n-grams up to order 6, no word n-grams, beta 2,
 * whitespace removed, case-sensitive, effective-order averaging (not epsilon smoothing). Per order
 * the statistics are hypothesis, reference and matched n-gram counts; with several references each
 * segment keeps the statistics of the reference with the best segment-level F-score; the corpus
 * score is computed once from the summed statistics.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ChrF {

    /** sacreBLEU's default character n-gram order. */
    public static final int CHAR_ORDER = 6;

    /** sacreBLEU's default word n-gram order (0: chrF; 2 gives chrF++). */
    public static final int WORD_ORDER = 0;

    /** sacreBLEU's default beta: recall weighs twice as much as precision. */
    public static final int BETA = 2;

    /** What an undefined precision, recall or F-score counts as with epsilon smoothing. */
    private static final double EPS = 1e-16;

    /** The punctuation chrF++ splits off words: Python's {@code string.punctuation}. */
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private final int charOrder;
    private final int wordOrder;
    private final int beta;
    private final boolean lowercase;
    private final boolean whitespace;
    private final boolean epsSmoothing;

    private ChrF(Builder builder) {
        charOrder = builder.charOrder;
        wordOrder = builder.wordOrder;
        beta = builder.beta;
        lowercase = builder.lowercase;
        whitespace = builder.whitespace;
        epsSmoothing = builder.epsSmoothing;
    }

    /**
     * Creates a builder with sacreBLEU's defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scores a corpus.
     *
     * @param hypotheses the system output, one segment per entry
     * @param referenceStreams one or more reference streams, each with one entry per hypothesis; a
     *     null or empty entry means that segment has one reference fewer
     * @return the score, with the signature of these settings
     * @throws IllegalArgumentException if the streams' lengths differ from the hypotheses', a
     *     hypothesis is null, or a segment has no non-empty reference
     */
    public ChrFScore corpusScore(
            List<String> hypotheses, List<? extends List<String>> referenceStreams) {
        List<List<String>> references = References.bySegment(hypotheses, referenceStreams);
        int[] stats = new int[3 * (charOrder + wordOrder)];
        for (int i = 0; i < hypotheses.size(); i++) {
            List<Map<String, Integer>> hyp = ngrams(preprocess(hypotheses.get(i)));
            int[] best = null;
            double bestF = -1.0;
            for (String reference : references.get(i)) {
                int[] candidate = matchStatistics(hyp, ngrams(preprocess(reference)));
                double f = fScore(candidate);
                if (f > bestF) {
                    bestF = f;
                    best = candidate;
                }
            }
            for (int k = 0; k < stats.length; k++) {
                stats[k] += best[k];
            }
        }
        return fromStatistics(stats, References.numRefs(references));
    }

    /**
     * Scores a single segment, as sacreBLEU's {@code sentence_score}: a corpus of one segment.
     *
     * @param hypothesis the hypothesis
     * @param references its references (null or empty ones are left out)
     * @return the score
     */
    public ChrFScore sentenceScore(String hypothesis, List<String> references) {
        List<String> hypotheses = new ArrayList<>(1);
        hypotheses.add(hypothesis);
        return corpusScore(hypotheses, References.asStreams(references));
    }

    /**
     * Computes chrF from summed statistics.
     *
     * @param statistics for each order (character orders first, then word orders) three numbers:
     *     hypothesis n-grams, reference n-grams, matched n-grams
     * @param numRefs the number of references per segment for the signature, or {@code var}
     * @return the score
     */
    public ChrFScore fromStatistics(int[] statistics, String numRefs) {
        if (statistics.length != 3 * (charOrder + wordOrder)) {
            throw new IllegalArgumentException(
                    "Expected 3 statistics for each of " + (charOrder + wordOrder) + " orders");
        }
        return new ChrFScore(fScore(statistics), charOrder, wordOrder, beta, signature(numRefs));
    }

    /**
     * Returns the signature of these settings.
     *
     * @param numRefs the number of references per segment, or {@code var}
     * @return e.g. {@code nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.0.0}
     */
    public MetricSignature signature(String numRefs) {
        return MetricSignature.builder(numRefs)
                .add("case", "c", lowercase ? "lc" : "mixed")
                .add("eff", "e", epsSmoothing ? "no" : "yes")
                .add("nc", "nc", String.valueOf(charOrder))
                .add("nw", "nw", String.valueOf(wordOrder))
                .add("space", "s", whitespace ? "yes" : "no")
                .build();
    }

    private String preprocess(String segment) {
        return lowercase ? PyText.lower(segment) : segment;
    }

    /** Character n-grams of orders 1..charOrder, then word n-grams of orders 1..wordOrder. */
    private List<Map<String, Integer>> ngrams(String segment) {
        List<Map<String, Integer>> ngrams = new ArrayList<>(charOrder + wordOrder);
        int[] chars = (whitespace ? segment : PyText.removeSpaces(segment)).codePoints().toArray();
        for (int n = 1; n <= charOrder; n++) {
            ngrams.add(NGrams.chars(chars, n));
        }
        if (wordOrder > 0) {
            List<String> words = splitPunctuation(segment);
            for (int n = 1; n <= wordOrder; n++) {
                ngrams.add(NGrams.words(words, n));
            }
        }
        return ngrams;
    }

    /** The [hypothesis, reference, matched] counts of every order against one reference. */
    private static int[] matchStatistics(
            List<Map<String, Integer>> hyp, List<Map<String, Integer>> ref) {
        int[] stats = new int[3 * hyp.size()];
        for (int i = 0; i < hyp.size(); i++) {
            // hypothesis n-grams count only if the reference has n-grams of this order
            stats[3 * i] = ref.get(i).isEmpty() ? 0 : NGrams.total(hyp.get(i));
            stats[3 * i + 1] = NGrams.total(ref.get(i));
            stats[3 * i + 2] = NGrams.matches(hyp.get(i), ref.get(i));
        }
        return stats;
    }

    /** sacreBLEU's _compute_f_score: the F-beta score in [0, 100]. */
    private double fScore(int[] statistics) {
        int order = charOrder + wordOrder;
        double factor = beta * beta;
        double score = 0.0;
        double avgPrec = 0.0;
        double avgRec = 0.0;
        int effectiveOrder = 0;
        for (int i = 0; i < order; i++) {
            int hyp = statistics[3 * i];
            int ref = statistics[3 * i + 1];
            int match = statistics[3 * i + 2];
            // chrF++.py style epsilon smoothing (also Moses and NLTK)
            double prec = hyp > 0 ? (double) match / hyp : EPS;
            double rec = ref > 0 ? (double) match / ref : EPS;
            double denom = factor * prec + rec;
            score += denom > 0 ? (1 + factor) * prec * rec / denom : EPS;
            // sacreBLEU < 2.0 style effective order: only orders both sides have
            if (hyp > 0 && ref > 0) {
                avgPrec += prec;
                avgRec += rec;
                effectiveOrder++;
            }
        }
        if (epsSmoothing) {
            return 100 * score / order;
        }
        if (effectiveOrder == 0) {
            avgPrec = 0.0;
            avgRec = 0.0;
        } else {
            avgPrec /= effectiveOrder;
            avgRec /= effectiveOrder;
        }
        if (avgPrec + avgRec == 0) {
            return 0.0;
        }
        double f = (1 + factor) * avgPrec * avgRec;
        f /= (factor * avgPrec) + avgRec;
        return 100 * f;
    }

    /**
     * chrF++'s words: whitespace-separated, with one punctuation character split off the end, or
     * else off the start, of words longer than one character (so {@code (hi)} gives {@code (hi} and
     * {@code )}, as in sacreBLEU).
     */
    private static List<String> splitPunctuation(String segment) {
        List<String> words = new ArrayList<>();
        for (String w : PyText.split(segment)) {
            int length = w.codePointCount(0, w.length());
            if (length == 1) {
                words.add(w);
                continue;
            }
            int first = w.codePointAt(0);
            int last = w.codePointBefore(w.length());
            if (isPunctuation(last)) {
                int cut = w.length() - Character.charCount(last);
                words.add(w.substring(0, cut));
                words.add(w.substring(cut));
            } else if (isPunctuation(first)) {
                int cut = Character.charCount(first);
                words.add(w.substring(0, cut));
                words.add(w.substring(cut));
            } else {
                words.add(w);
            }
        }
        return words;
    }

    private static boolean isPunctuation(int codePoint) {
        return codePoint < 128 && PUNCTUATION.indexOf(codePoint) >= 0;
    }

    /** Builds a {@link ChrF}; every option has sacreBLEU's default. */
    public static final class Builder {

        private int charOrder = CHAR_ORDER;
        private int wordOrder = WORD_ORDER;
        private int beta = BETA;
        private boolean lowercase;
        private boolean whitespace;
        private boolean epsSmoothing;

        private Builder() {}

        /**
         * Sets the character n-gram order (default 6).
         *
         * @param order the order, at least 0
         * @return this builder
         */
        public Builder optCharOrder(int order) {
            this.charOrder = order;
            return this;
        }

        /**
         * Sets the word n-gram order (default 0; 2 gives chrF++).
         *
         * @param order the order, at least 0
         * @return this builder
         */
        public Builder optWordOrder(int order) {
            this.wordOrder = order;
            return this;
        }

        /**
         * Sets beta, how much more recall weighs than precision (default 2).
         *
         * @param beta beta, at least 0
         * @return this builder
         */
        public Builder optBeta(int beta) {
            this.beta = beta;
            return this;
        }

        /**
         * Makes chrF case-insensitive by lowercasing everything first (default false).
         *
         * @param lowercase whether to lowercase
         * @return this builder
         */
        public Builder optLowercase(boolean lowercase) {
            this.lowercase = lowercase;
            return this;
        }

        /**
         * Keeps whitespace inside character n-grams (default false: whitespace is removed).
         *
         * @param whitespace whether to keep whitespace
         * @return this builder
         */
        public Builder optWhitespace(boolean whitespace) {
            this.whitespace = whitespace;
            return this;
        }

        /**
         * Uses the epsilon smoothing of chrF++.py, Moses and NLTK instead of sacreBLEU's effective
         * order (default false).
         *
         * @param epsSmoothing whether to use epsilon smoothing
         * @return this builder
         */
        public Builder optEpsSmoothing(boolean epsSmoothing) {
            this.epsSmoothing = epsSmoothing;
            return this;
        }

        /**
         * Builds the metric.
         *
         * @return the metric
         * @throws IllegalArgumentException for an out-of-range option, named
         */
        public ChrF build() {
            if (charOrder < 0 || wordOrder < 0 || charOrder + wordOrder == 0) {
                throw new IllegalArgumentException(
                        "charOrder and wordOrder must be >= 0 and not both 0, got "
                                + charOrder
                                + " and "
                                + wordOrder);
            }
            if (beta < 0) {
                throw new IllegalArgumentException("beta must be >= 0, got " + beta);
            }
            return new ChrF(this);
        }
    }
}
