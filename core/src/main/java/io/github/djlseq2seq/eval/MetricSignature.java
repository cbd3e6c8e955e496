package io.github.djlseq2seq.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A sacreBLEU 2.x reproducibility signature: {@code key:value} pairs joined by {@code |}, such as
 * {@code nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.0.0}.
 *
 * <p>The last pair is always {@code version:}{@value #SACREBLEU_VERSION}. It names the sacreBLEU
 * release whose definitions this package reproduces, not a version of djl-seq2seq: 2.0.0 is the
 * release that fixed the 2.x definitions (scores in [0, 100], 0 when no n-gram matches, this
 * signature format) and the one printed by sacreBLEU's own published examples, which our tests
 * reproduce character for character. The scores are checked against the test vectors of sacreBLEU's
 * 2.x test suite.
 */
public final class MetricSignature {

    /** The sacreBLEU release named by the {@code version} field of every signature. */
    public static final String SACREBLEU_VERSION = "2.0.0";

    private final List<String> keys;
    private final List<String> shortKeys;
    private final List<String> values;

    private MetricSignature(List<String> keys, List<String> shortKeys, List<String> values) {
        this.keys = keys;
        this.shortKeys = shortKeys;
        this.values = values;
    }

    /**
     * Starts a signature with the number of references, the field every metric shares.
     *
     * @param numRefs the number of references per segment, or {@code var} if it varies
     * @return a builder
     */
    static Builder builder(String numRefs) {
        return new Builder().add("nrefs", "#", numRefs);
    }

    /**
     * Returns the value of a field.
     *
     * @param key the long name of the field, e.g. {@code tok}
     * @return its value, e.g. {@code 13a}, or null if the signature has no such field
     */
    public String get(String key) {
        int i = keys.indexOf(key);
        return i < 0 ? null : values.get(i);
    }

    /**
     * Returns the long field names in order.
     *
     * @return e.g. {@code [nrefs, case, eff, tok, smooth, version]}
     */
    public List<String> getKeys() {
        return Collections.unmodifiableList(keys);
    }

    /**
     * Returns the short form, as sacreBLEU's {@code --short}: {@code #:2|c:mixed|e:no|tok:13a|...}.
     *
     * @return the signature with abbreviated field names
     */
    public String toShortString() {
        return join(shortKeys);
    }

    /**
     * Returns the signature as sacreBLEU prints it: {@code nrefs:2|case:mixed|...|version:2.0.0}.
     *
     * @return the signature string
     */
    @Override
    public String toString() {
        return join(keys);
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof MetricSignature && toString().equals(o.toString());
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return Objects.hash(toString());
    }

    private String join(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                sb.append('|');
            }
            sb.append(names.get(i)).append(':').append(values.get(i));
        }
        return sb.toString();
    }

    /** Collects the fields of a signature in the order sacreBLEU prints them. */
    static final class Builder {

        private final List<String> keys = new ArrayList<>();
        private final List<String> shortKeys = new ArrayList<>();
        private final List<String> values = new ArrayList<>();

        private Builder() {}

        /**
         * Appends a field.
         *
         * @param key the long name
         * @param shortKey the name in the short form
         * @param value the value
         * @return this builder
         */
        Builder add(String key, String shortKey, String value) {
            keys.add(key);
            shortKeys.add(shortKey);
            values.add(value);
            return this;
        }

        /**
         * Appends the version field and builds the signature.
         *
         * @return the signature
         */
        MetricSignature build() {
            add("version", "v", SACREBLEU_VERSION);
            return new MetricSignature(
                    List.copyOf(keys), List.copyOf(shortKeys), List.copyOf(values));
        }
    }
}
