package io.github.djlseq2seq.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few Python {@code str} operations that sacreBLEU's scores depend on, with Python's exact
 * meaning.
 *
 * <p>Python's {@code split()} and {@code strip()} use a wider notion of whitespace than Java's
 * {@link String#strip()} or {@code \s}: it includes the no-break spaces U+00A0, U+2007, U+202F and
 * NEL U+0085, and the separators U+001C..U+001F. {@link #isSpace(char)} lists exactly the
 * characters for which Python 3's {@code str.isspace()} is true (all of them in the BMP).
 */
final class PyText {

    private PyText() {}

    /**
     * Tells whether Python's {@code str.isspace()} holds for a character.
     *
     * @param c a UTF-16 unit (no whitespace lies outside the BMP, so surrogates are never space)
     * @return true for Python whitespace
     */
    static boolean isSpace(char c) {
        switch (c) {
            case '\t':
            case '\n':
            case '\u000b':
            case '\f':
            case '\r':
            case '\u001c':
            case '\u001d':
            case '\u001e':
            case '\u001f':
            case ' ':
            case '\u0085':
            case '\u00a0':
            case '\u1680':
            case '\u2028':
            case '\u2029':
            case '\u202f':
            case '\u205f':
            case '\u3000':
                return true;
            default:
                return c >= '\u2000' && c <= '\u200a';
        }
    }

    /**
     * Python's {@code s.split()}: the runs of non-whitespace, without empty strings.
     *
     * @param s a string
     * @return its words, in order
     */
    static List<String> split(String s) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < s.length(); i++) {
            if (isSpace(s.charAt(i))) {
                if (start >= 0) {
                    words.add(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            words.add(s.substring(start));
        }
        return words;
    }

    /**
     * Python's {@code ''.join(s.split())}: the string with all whitespace removed.
     *
     * @param s a string
     * @return s without whitespace
     */
    static String removeSpaces(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isSpace(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * Python's {@code s.rstrip()}: trailing whitespace removed.
     *
     * @param s a string
     * @return s without trailing whitespace
     */
    static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * Python's {@code s.lower()}: full Unicode lowercasing, independent of the default locale.
     *
     * @param s a string
     * @return s in lower case
     */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
