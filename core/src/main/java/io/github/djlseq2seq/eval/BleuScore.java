package io.github.djlseq2seq.eval;

/**
 * A corpus BLEU score with its sufficient statistics, as sacreBLEU's {@code BLEUScore}.
 *
 * <p>{@link #toString()} prints it as sacreBLEU does: {@code BLEU = 48.53 82.4/50.0/45.5/37.5 (BP =
 * 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)}.
 */
public final class BleuScore implements MetricScore {

    private final double score;
    private final int[] counts;
    private final int[] totals;
    private final double[] precisions;
    private final double bp;
    private final int sysLen;
    private final int refLen;
    private final MetricSignature signature;

    BleuScore(
            double score,
            int[] counts,
            int[] totals,
            double[] precisions,
            double bp,
            int sysLen,
            int refLen,
            MetricSignature signature) {
        this.score = score;
        this.counts = counts.clone();
        this.totals = totals.clone();
        this.precisions = precisions.clone();
        this.bp = bp;
        this.sysLen = sysLen;
        this.refLen = refLen;
        this.signature = signature;
    }

    /** {@inheritDoc} */
    @Override
    public String getName() {
        return "BLEU";
    }

    /** {@inheritDoc} */
    @Override
    public double getScore() {
        return score;
    }

    /**
     * Returns the matched n-grams of each order, clipped by the references.
     *
     * <p>These are the raw counts; with {@link SmoothMethod#ADD_K} sacreBLEU reports them with the
     * smoothing value already added to orders 2 and up.
     *
     * @return {@code counts[n - 1]} for n-grams of order n
     */
    public int[] getCounts() {
        return counts.clone();
    }

    /**
     * Returns the hypothesis n-grams of each order.
     *
     * @return {@code totals[n - 1]} for n-grams of order n (raw, as {@link #getCounts()})
     */
    public int[] getTotals() {
        return totals.clone();
    }

    /**
     * Returns the smoothed n-gram precisions, in percent.
     *
     * @return {@code precisions[n - 1]} for order n
     */
    public double[] getPrecisions() {
        return precisions.clone();
    }

    /**
     * Returns the brevity penalty.
     *
     * @return {@code exp(1 - ref_len / hyp_len)} if the hypotheses are shorter, else 1
     */
    public double getBp() {
        return bp;
    }

    /**
     * Returns the number of hypothesis words (after tokenization).
     *
     * @return sacreBLEU's {@code sys_len}, printed as {@code hyp_len}
     */
    public int getSysLen() {
        return sysLen;
    }

    /**
     * Returns the effective reference length: the sum over segments of the reference length closest
     * to the hypothesis length (the shorter on a tie).
     *
     * @return sacreBLEU's {@code ref_len}
     */
    public int getRefLen() {
        return refLen;
    }

    /**
     * Returns the length ratio.
     *
     * @return {@code sys_len / ref_len}, or 0 when {@code ref_len} is 0
     */
    public double getRatio() {
        return refLen == 0 ? 0 : (double) sysLen / refLen;
    }

    /** {@inheritDoc} */
    @Override
    public MetricSignature getSignature() {
        return signature;
    }

    /** {@inheritDoc} */
    @Override
    public String getDetails() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < precisions.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(ScoreFormat.fixed(precisions[i], 1));
        }
        return sb.append(" (BP = ")
                .append(ScoreFormat.fixed(bp, 3))
                .append(" ratio = ")
                .append(ScoreFormat.fixed(getRatio(), 3))
                .append(" hyp_len = ")
                .append(sysLen)
                .append(" ref_len = ")
                .append(refLen)
                .append(')')
                .toString();
    }

    /**
     * Returns the score line as sacreBLEU's {@code repr}, with 2 decimals and no signature.
     *
     * @return e.g. {@code BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17
     *     ref_len = 18)}
     */
    @Override
    public String toString() {
        return format(2, false);
    }
}
