package io.github.djlseq2seq.eval;

/** A corpus chrF (or chrF++) score, printed as sacreBLEU prints it: {@code chrF2 = 59.73}. */
public final class ChrFScore implements MetricScore {

    private final double score;
    private final int charOrder;
    private final int wordOrder;
    private final int beta;
    private final MetricSignature signature;

    ChrFScore(double score, int charOrder, int wordOrder, int beta, MetricSignature signature) {
        this.score = score;
        this.charOrder = charOrder;
        this.wordOrder = wordOrder;
        this.beta = beta;
        this.signature = signature;
    }

    /**
     * Returns the name: {@code chrF} and beta, then one {@code +} per word n-gram order.
     *
     * @return e.g. {@code chrF2}, or {@code chrF2++} for chrF++
     */
    @Override
    public String getName() {
        return "chrF" + beta + "+".repeat(wordOrder);
    }

    /** {@inheritDoc} */
    @Override
    public double getScore() {
        return score;
    }

    /**
     * Returns the details after the score: chrF has none.
     *
     * @return the empty string
     */
    @Override
    public String getDetails() {
        return "";
    }

    /** {@inheritDoc} */
    @Override
    public MetricSignature getSignature() {
        return signature;
    }

    /**
     * Returns the character n-gram order.
     *
     * @return the character n-gram order
     */
    public int getCharOrder() {
        return charOrder;
    }

    /**
     * Returns the word n-gram order.
     *
     * @return the word n-gram order (0 for chrF, 2 for chrF++)
     */
    public int getWordOrder() {
        return wordOrder;
    }

    /**
     * Returns beta, the weight of recall against precision.
     *
     * @return beta
     */
    public int getBeta() {
        return beta;
    }

    /**
     * Returns the score line as sacreBLEU's {@code repr}, with 2 decimals and no signature.
     *
     * @return e.g. {@code chrF2 = 59.73}
     */
    @Override
    public String toString() {
        return format(2, false);
    }
}
