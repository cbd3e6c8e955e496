package io.github.djlseq2seq.eval;

/** A corpus-level score of an MT metric, printable the way sacreBLEU prints it. */
public interface MetricScore {

    /**
     * Returns the metric's name as sacreBLEU prints it.
     *
     * @return e.g. {@code BLEU}, {@code chrF2} or {@code chrF2++}
     */
    String getName();

    /**
     * Returns the score.
     *
     * @return the score, in [0, 100]
     */
    double getScore();

    /**
     * Returns the details that follow the score in sacreBLEU's text output.
     *
     * @return e.g. {@code 82.4/50.0/45.5/37.5 (BP = 0.943 ...)} for BLEU; empty when there are none
     */
    String getDetails();

    /**
     * Returns the reproducibility signature of the settings and references that gave this score.
     *
     * @return the signature
     */
    MetricSignature getSignature();

    /**
     * Formats the score alone, as sacreBLEU's {@code -b -w decimals} prints it.
     *
     * @param decimals the number of decimals, at least 0
     * @return e.g. {@code "48.530827"} for 6 decimals
     */
    default String formatScore(int decimals) {
        return ScoreFormat.fixed(getScore(), decimals);
    }

    /**
     * Formats the score line as sacreBLEU's text output ({@code -f text}) does.
     *
     * @param decimals the number of decimals of the score, at least 0 (sacreBLEU's {@code -w})
     * @param withSignature whether the name is followed by {@code |} and the signature
     * @return e.g. {@code BLEU|nrefs:2|...|version:2.0.0 = 48.53 82.4/50.0/45.5/37.5 (BP = ...)}
     */
    default String format(int decimals, boolean withSignature) {
        StringBuilder sb = new StringBuilder(getName());
        if (withSignature) {
            sb.append('|').append(getSignature());
        }
        sb.append(" = ").append(formatScore(decimals));
        if (!getDetails().isEmpty()) {
            sb.append(' ').append(getDetails());
        }
        return sb.toString();
    }
}
