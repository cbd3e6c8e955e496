package io.github.djlseq2seq.eval;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How BLEU treats n-gram orders without matches, after Chen and Cherry, "A Systematic Comparison of
 * Smoothing Techniques for Sentence-Level BLEU" (WMT 2014), with sacreBLEU's names.
 */
public enum SmoothMethod {

    /** No smoothing: a precision of 0 makes the score 0. */
    NONE("none", Double.NaN),

    /** Method 1: a precision of 0 becomes {@code value / total} (default value 0.1). */
    FLOOR("floor", 0.1),

    /** Method 2: adds {@code value} to the matches and totals of orders 2 and up (default 1). */
    ADD_K("add-k", 1),

    /**
     * Method 3, the default and the smoothing of {@code mteval-v13a.pl}: the k-th order without
     * matches gets precision {@code 1 / (2^k total)}.
     */
    EXP("exp", Double.NaN);

    private final String signatureName;
    private final double defaultValue;

    SmoothMethod(String signatureName, double defaultValue) {
        this.signatureName = signatureName;
        this.defaultValue = defaultValue;
    }

    /**
     * Returns the method's name in sacreBLEU's command line and signature.
     *
     * @return {@code none}, {@code floor}, {@code add-k} or {@code exp}
     */
    public String getSignatureName() {
        return signatureName;
    }

    /**
     * Tells whether the method uses a smoothing value.
     *
     * @return true for {@link #FLOOR} and {@link #ADD_K}
     */
    public boolean takesValue() {
        return !Double.isNaN(defaultValue);
    }

    /**
     * Returns the value used when none is given.
     *
     * @return 0.1 for {@link #FLOOR}, 1 for {@link #ADD_K}, NaN for the methods without a value
     */
    public double getDefaultValue() {
        return defaultValue;
    }

    /**
     * Finds a method by its sacreBLEU name.
     *
     * @param name {@code none}, {@code floor}, {@code add-k} or {@code exp}
     * @return the method
     * @throws IllegalArgumentException for any other name
     */
    public static SmoothMethod fromName(String name) {
        for (SmoothMethod m : values()) {
            if (m.signatureName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "Unknown smoothing method '"
                        + name
                        + "', expected one of "
                        + Arrays.stream(values())
                                .map(SmoothMethod::getSignatureName)
                                .collect(Collectors.joining(", ")));
    }
}
