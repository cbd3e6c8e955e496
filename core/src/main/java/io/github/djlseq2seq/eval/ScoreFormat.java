package io.github.djlseq2seq.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Formats numbers exactly as Python's {@code f"{x:.Nf}"} does, so printed scores match sacreBLEU.
 */
public final class ScoreFormat {

    private ScoreFormat() {}

    /**
     * Formats a number with a fixed number of decimals, like Python's {@code
     * f"{value:.{decimals}f}"}.
     *
     * <p>Python rounds the exact binary value of the double, ties to even; {@link String#format}
     * rounds its shortest decimal form half up, so the two disagree on values such as 0.125 ({@code
     * "0.12"} in Python, {@code "0.13"} in Java) or 2.675. {@link BigDecimal#BigDecimal(double)}
     * holds the exact binary value, which makes Python's rule easy to follow.
     *
     * @param value the number
     * @param decimals how many digits after the point, at least 0
     * @return the formatted number, e.g. {@code fixed(48.530827, 2)} is {@code "48.53"}
     */
    public static String fixed(double value, int decimals) {
        if (decimals < 0) {
            throw new IllegalArgumentException("decimals must be >= 0, got " + decimals);
        }
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        String text =
                new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        // Python keeps the sign of a negative number that rounds to zero: -0.001 -> "-0.00"
        boolean negative = value < 0 || (value == 0 && 1 / value < 0);
        return negative && !text.startsWith("-") ? "-" + text : text;
    }
}
