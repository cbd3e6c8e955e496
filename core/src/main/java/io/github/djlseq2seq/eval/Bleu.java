package io.github.djlseq2seq.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU (Papineni et al., 2002) exactly as sacreBLEU 2.x computes it.
 *
 * <p>The defaults are sacreBLEU's: 13a tokenization, case-sensitive, n-grams up to order 4,
 * exponential smoothing, no effective order. Each hypothesis is matched against all its references
 * at once (an n-gram counts up to the largest number of times any one reference has it), and the
 * brevity penalty uses, per segment, the reference length closest to the hypothesis length, the
 * shorter one on a tie.
 *
 * <pre>{@code
 * Bleu bleu = Bleu.builder().build();
 * BleuScore score = bleu.corpusScore(hypotheses, List.of(references1, references2));
 * score.toString();         // BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = ...)
 * score.getSignature();     // nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.0.0
 * score.formatScore(6);     // 48.530827
 * }</pre>
 *
 * <p>Logarithms and exponentials use {@link StrictMath}, so a score is the same on every JVM; it
 * can differ from sacreBLEU's (the C library's) in the last bit or two, about 1e-15 relative.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Bleu {

    /** sacreBLEU's default maximum n-gram order. */
    public static final int MAX_NGRAM_ORDER = 4;

    /** What sacreBLEU's {@code my_log} returns for log(0), instead of minus infinity. */
    private static final double LOG_ZERO = -9999999999.0;

    private final BleuTokenizer tokenizer;
    private final SmoothMethod smoothMethod;
    private final double smoothValue;
    private final boolean lowercase;
    private final boolean effectiveOrder;
    private final int maxNgramOrder;

    private Bleu(Builder builder) {
        tokenizer = builder.tokenizer;
        smoothMethod = builder.smoothMethod;
        smoothValue =
                Double.isNaN(builder.smoothValue)
                        ? smoothMethod.getDefaultValue()
                        : builder.smoothValue;
        lowercase = builder.lowercase;
        effectiveOrder = builder.effectiveOrder;
        maxNgramOrder = builder.maxNgramOrder;
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
     * @param hypotheses the system output, one segment per entry (empty strings are kept and score
     *     nothing)
     * @param referenceStreams one or more reference streams, each with one entry per hypothesis; a
     *     null or empty entry means that segment has one reference fewer
     * @return the score, with the signature of these settings
     * @throws IllegalArgumentException if the streams' lengths differ from the hypotheses', a
     *     hypothesis is null, or a segment has no non-empty reference
     */
    public BleuScore corpusScore(
            List<String> hypotheses, List<? extends List<String>> referenceStreams) {
        List<List<String>> references = References.bySegment(hypotheses, referenceStreams);
        int[] correct = new int[maxNgramOrder];
        int[] total = new int[maxNgramOrder];
        int sysLen = 0;
        int refLen = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            // the references of this segment: their n-grams (largest count) and their lengths
            List<Map<String, Integer>> refNgrams = null;
            int[] refLens = new int[references.get(i).size()];
            for (int r = 0; r < refLens.length; r++) {
                List<String> words = PyText.split(preprocess(references.get(i).get(r)));
                refLens[r] = words.size();
                List<Map<String, Integer>> ngrams = ngrams(words);
                if (refNgrams == null) {
                    refNgrams = ngrams;
                } else {
                    for (int n = 0; n < maxNgramOrder; n++) {
                        Map<String, Integer> merged = refNgrams.get(n);
                        ngrams.get(n).forEach((k, c) -> merged.merge(k, c, Math::max));
                    }
                }
            }
            // the hypothesis against them
            List<String> words = PyText.split(preprocess(hypotheses.get(i)));
            sysLen += words.size();
            refLen += closestRefLen(words.size(), refLens);
            List<Map<String, Integer>> hypNgrams = ngrams(words);
            for (int n = 0; n < maxNgramOrder; n++) {
                total[n] += NGrams.total(hypNgrams.get(n));
                correct[n] += NGrams.matches(hypNgrams.get(n), refNgrams.get(n));
            }
        }
        return fromStatistics(correct, total, sysLen, refLen, References.numRefs(references));
    }

    /**
     * Scores a single segment, as sacreBLEU's {@code sentence_score}: a corpus of one segment.
     * Sentence-level BLEU is usually computed with {@link Builder#optEffectiveOrder(boolean)}.
     *
     * @param hypothesis the hypothesis
     * @param references its references (null or empty ones are left out)
     * @return the score
     */
    public BleuScore sentenceScore(String hypothesis, List<String> references) {
        List<String> hypotheses = new ArrayList<>(1);
        hypotheses.add(hypothesis);
        return corpusScore(hypotheses, References.asStreams(references));
    }

    /**
     * Computes BLEU from sufficient statistics, as sacreBLEU's {@code compute_bleu} with this
     * instance's smoothing, effective order and maximum order. Statistics of several corpora can be
     * added up and scored once.
     *
     * @param correct matched n-grams of each order, {@code correct[n - 1]} for order n
     * @param total hypothesis n-grams of each order
     * @param sysLen the hypothesis length in words
     * @param refLen the effective reference length in words
     * @param numRefs the number of references per segment for the signature, or {@code var}
     * @return the score
     */
    public BleuScore fromStatistics(
            int[] correct, int[] total, int sysLen, int refLen, String numRefs) {
        if (correct.length != maxNgramOrder || total.length != maxNgramOrder) {
            throw new IllegalArgumentException(
                    "Expected statistics for " + maxNgramOrder + " n-gram orders");
        }
        MetricSignature signature = signature(numRefs);
        double bp;
        if (sysLen < refLen) {
            bp = sysLen > 0 ? StrictMath.exp(1 - (double) refLen / sysLen) : 0.0;
        } else {
            bp = 1.0;
        }
        double[] precisions = new double[maxNgramOrder];
        if (Arrays.stream(correct).allMatch(c -> c == 0)) {
            // no match at all: 0, whatever the smoothing (sacreBLEU #141)
            return new BleuScore(0.0, correct, total, precisions, bp, sysLen, refLen, signature);
        }
        double smoothMteval = 1.0;
        int effOrder = maxNgramOrder;
        for (int n = 1; n <= maxNgramOrder; n++) {
            double matched = correct[n - 1];
            double guessed = total[n - 1];
            if (smoothMethod == SmoothMethod.ADD_K && n > 1) {
                matched += smoothValue;
                guessed += smoothValue;
            }
            if (guessed == 0) {
                break;
            }
            if (effectiveOrder) {
                effOrder = n;
            }
            if (matched == 0) {
                if (smoothMethod == SmoothMethod.EXP) {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100. / (smoothMteval * guessed);
                } else if (smoothMethod == SmoothMethod.FLOOR) {
                    precisions[n - 1] = 100. * smoothValue / guessed;
                }
            } else {
                precisions[n - 1] = 100. * matched / guessed;
            }
        }
        double logSum = 0;
        for (int i = 0; i < effOrder; i++) {
            logSum += precisions[i] == 0.0 ? LOG_ZERO : StrictMath.log(precisions[i]);
        }
        double score = bp * StrictMath.exp(logSum / effOrder);
        return new BleuScore(score, correct, total, precisions, bp, sysLen, refLen, signature);
    }

    /**
     * Returns the signature of these settings.
     *
     * @param numRefs the number of references per segment, or {@code var}
     * @return e.g. {@code nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.0.0}
     */
    public MetricSignature signature(String numRefs) {
        String smooth = smoothMethod.getSignatureName();
        if (smoothMethod.takesValue()) {
            smooth += "[" + ScoreFormat.fixed(smoothValue, 2) + "]";
        }
        return MetricSignature.builder(numRefs)
                .add("case", "c", lowercase ? "lc" : "mixed")
                .add("eff", "e", effectiveOrder ? "yes" : "no")
                .add("tok", "tok", tokenizer.getSignatureName())
                .add("smooth", "s", smooth)
                .build();
    }

    /**
     * Returns the tokenizer.
     *
     * @return the tokenizer
     */
    public BleuTokenizer getTokenizer() {
        return tokenizer;
    }

    /**
     * Returns the smoothing method.
     *
     * @return the smoothing method
     */
    public SmoothMethod getSmoothMethod() {
        return smoothMethod;
    }

    /**
     * Returns the smoothing value in use.
     *
     * @return the value given or the method's default; NaN for methods without a value
     */
    public double getSmoothValue() {
        return smoothValue;
    }

    /**
     * Tells whether text is lowercased before scoring.
     *
     * @return true for case-insensitive BLEU
     */
    public boolean isLowercase() {
        return lowercase;
    }

    /**
     * Tells whether orders beyond the longest hypothesis n-gram are left out of the mean.
     *
     * @return true with effective order
     */
    public boolean isEffectiveOrder() {
        return effectiveOrder;
    }

    /**
     * Returns the maximum n-gram order.
     *
     * @return the maximum n-gram order
     */
    public int getMaxNgramOrder() {
        return maxNgramOrder;
    }

    /** Lowercases (optionally) and tokenizes a segment, as sacreBLEU's _preprocess_segment. */
    private String preprocess(String segment) {
        if (lowercase) {
            segment = PyText.lower(segment);
        }
        return tokenizer.tokenize(PyText.rstrip(segment));
    }

    /** The n-gram counts of orders 1..maxNgramOrder, index n - 1 for order n. */
    private List<Map<String, Integer>> ngrams(List<String> words) {
        List<Map<String, Integer>> byOrder = new ArrayList<>(maxNgramOrder);
        for (int n = 1; n <= maxNgramOrder; n++) {
            byOrder.add(NGrams.words(words, n));
        }
        return byOrder;
    }

    /** The reference length closest to the hypothesis length; the shorter one on a tie. */
    private static int closestRefLen(int hypLen, int[] refLens) {
        int closestDiff = -1;
        int closestLen = -1;
        for (int refLen : refLens) {
            int diff = Math.abs(hypLen - refLen);
            if (closestDiff == -1 || diff < closestDiff) {
                closestDiff = diff;
                closestLen = refLen;
            } else if (diff == closestDiff && refLen < closestLen) {
                closestLen = refLen;
            }
        }
        return closestLen;
    }

    /** Builds a {@link Bleu}; every option has sacreBLEU's default. */
    public static final class Builder {

        private BleuTokenizer tokenizer = BleuTokenizer.TOKENIZER_13A;
        private SmoothMethod smoothMethod = SmoothMethod.EXP;
        private double smoothValue = Double.NaN;
        private boolean lowercase;
        private boolean effectiveOrder;
        private int maxNgramOrder = MAX_NGRAM_ORDER;

        private Builder() {}

        /**
         * Sets the tokenizer (default {@code 13a}).
         *
         * @param tokenizer the tokenizer
         * @return this builder
         */
        public Builder optTokenizer(BleuTokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /**
         * Sets the smoothing method (default {@code exp}).
         *
         * @param method the method
         * @return this builder
         */
        public Builder optSmoothMethod(SmoothMethod method) {
            this.smoothMethod = method;
            return this;
        }

        /**
         * Sets the value of the {@code floor} and {@code add-k} smoothing (defaults 0.1 and 1); as
         * in sacreBLEU, the other methods ignore it.
         *
         * @param value a finite value, at least 0
         * @return this builder
         */
        public Builder optSmoothValue(double value) {
            this.smoothValue = value;
            return this;
        }

        /**
         * Makes BLEU case-insensitive by lowercasing everything first (default false).
         *
         * @param lowercase whether to lowercase
         * @return this builder
         */
        public Builder optLowercase(boolean lowercase) {
            this.lowercase = lowercase;
            return this;
        }

        /**
         * Leaves orders with no hypothesis n-grams out of the geometric mean (default false), for
         * sentence-level BLEU of short segments.
         *
         * @param effectiveOrder whether to use the effective order
         * @return this builder
         */
        public Builder optEffectiveOrder(boolean effectiveOrder) {
            this.effectiveOrder = effectiveOrder;
            return this;
        }

        /**
         * Sets the maximum n-gram order (default 4).
         *
         * @param order the order, at least 1
         * @return this builder
         */
        public Builder optMaxNgramOrder(int order) {
            this.maxNgramOrder = order;
            return this;
        }

        /**
         * Builds the metric.
         *
         * @return the metric
         * @throws IllegalArgumentException for a missing or out-of-range option, named
         */
        public Bleu build() {
            if (tokenizer == null) {
                throw new IllegalArgumentException("tokenizer must not be null");
            }
            if (smoothMethod == null) {
                throw new IllegalArgumentException("smoothMethod must not be null");
            }
            if (!Double.isNaN(smoothValue) && (smoothValue < 0 || Double.isInfinite(smoothValue))) {
                throw new IllegalArgumentException(
                        "smoothValue must be finite and >= 0, got " + smoothValue);
            }
            if (maxNgramOrder < 1) {
                throw new IllegalArgumentException(
                        "maxNgramOrder must be positive, got " + maxNgramOrder);
            }
            return new Bleu(this);
        }
    }
}
