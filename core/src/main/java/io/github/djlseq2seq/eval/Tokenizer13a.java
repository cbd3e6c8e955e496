package io.github.djlseq2seq.eval;

import java.util.regex.Pattern;

/**
 * The {@code 13a} tokenizer of sacreBLEU, equivalent to the tokenization of WMT's {@code
 * mteval-v13a.pl}: a few entity and line-break replacements, then four regular expressions that
 * split off punctuation.
 */
final class Tokenizer13a {

    /**
     * Any of {@code { | } ~ [ \ ] ^ _ `}, space, {@code ! " # $ % &}, {@code ( ) * +}, {@code : ; <
     * = > ? @} and {@code /}: sacreBLEU's {@code [\{-\~\[-\` -\&\(-\+\:-\@\/]}, written with code
     * points. Note what it leaves out: {@code '}, {@code ,}, {@code -} and {@code .}.
     */
    private static final Pattern SYMBOL =
            Pattern.compile("([\\x7B-\\x7E\\x5B-\\x60\\x20-\\x26\\x28-\\x2B\\x3A-\\x40\\x2F])");

    /** A period or comma after a non-digit ({@code ([^0-9])([\.,])}). */
    private static final Pattern PERIOD_COMMA_AFTER_NON_DIGIT = Pattern.compile("([^0-9])([.,])");

    /** A period or comma before a non-digit ({@code ([\.,])([^0-9])}). */
    private static final Pattern PERIOD_COMMA_BEFORE_NON_DIGIT = Pattern.compile("([.,])([^0-9])");

    /** A dash after a digit ({@code ([0-9])(-)}). */
    private static final Pattern DASH_AFTER_DIGIT = Pattern.compile("([0-9])(-)");

    private Tokenizer13a() {}

    /**
     * Tokenizes one segment.
     *
     * @param line the segment
     * @return its tokens joined by single spaces, without leading or trailing space
     */
    static String tokenize(String line) {
        // language-independent part, in sacreBLEU's order
        line = line.replace("<skipped>", "");
        line = line.replace("-\n", "");
        line = line.replace("\n", " ");
        line = line.replace("&quot;", "\"");
        line = line.replace("&amp;", "&");
        line = line.replace("&lt;", "<");
        line = line.replace("&gt;", ">");
        line = " " + line + " ";
        // language-dependent part (Western languages)
        line = SYMBOL.matcher(line).replaceAll(" $1 ");
        line = PERIOD_COMMA_AFTER_NON_DIGIT.matcher(line).replaceAll("$1 $2 ");
        line = PERIOD_COMMA_BEFORE_NON_DIGIT.matcher(line).replaceAll(" $1 $2");
        line = DASH_AFTER_DIGIT.matcher(line).replaceAll("$1 $2 ");
        // one space between tokens, Python's split()
        return String.join(" ", PyText.split(line));
    }
}
