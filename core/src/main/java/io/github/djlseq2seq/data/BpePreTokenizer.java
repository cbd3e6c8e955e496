package io.github.djlseq2seq.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The normalisation and word splitting of {@link BpeTokenizer}, and their exact HuggingFace
 * tokenizers expression, kept side by side so that the two cannot drift apart.
 *
 * <ol>
 *   <li>Normalise: lone UTF-16 surrogates become U+FFFD, then Unicode NFC; a non-empty text gets a
 *       leading {@code ▁} (U+2581) and every space U+0020 becomes {@code ▁}. HF: normalizer {@code
 *       Sequence[NFC, Prepend("▁"), Replace(" ", "▁")]}.
 *   <li>Split into words before each {@code ▁} (HF: {@code Split("▁", MergedWithNext)}), then, if
 *       punctuation is split, cut every character of {@link #PUNCTUATION} out as a word of its own
 *       (HF: {@code Split(Regex "[…]", Isolated)}, the class listing the same code points).
 * </ol>
 *
 * Nothing else is changed: other whitespace (tab, no-break space…) and case are kept as they are.
 */
final class BpePreTokenizer {

    /** The word-boundary mark that stands for a space, as in sentencepiece. */
    static final char SPACE_MARK = '\u2581';

    /**
     * The code points cut out as words of their own when punctuation is split: the 32 ASCII
     * punctuation characters, Spanish and typographic punctuation, and common CJK punctuation. An
     * explicit list rather than a Unicode category, so that Java and HF agree on every character.
     */
    static final int[] PUNCTUATION =
            sorted(
                    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
                            + "\u00a1\u00a7\u00ab\u00b6\u00b7\u00bb\u00bf"
                            + "\u2010\u2011\u2012\u2013\u2014\u2015\u2018\u2019\u201a\u201c\u201d"
                            + "\u201e\u2020\u2021\u2022\u2026\u2039\u203a"
                            + "\u3001\u3002\u300c\u300d\u300e\u300f"
                            + "\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f");

    private static final String MARK = String.valueOf(SPACE_MARK);

    private final boolean splitPunctuation;

    /**
     * Makes the pre-tokenizer.
     *
     * @param splitPunctuation whether punctuation characters become words of their own
     */
    BpePreTokenizer(boolean splitPunctuation) {
        this.splitPunctuation = splitPunctuation;
    }

    /**
     * Tells whether punctuation characters become words of their own.
     *
     * @return true if punctuation is split
     */
    boolean splitsPunctuation() {
        return splitPunctuation;
    }

    /**
     * Normalises a piece of text (step 1).
     *
     * @param text the text, without special-token literals
     * @return the normalised text, starting with {@code ▁} unless empty
     */
    static String normalize(String text) {
        if (text.isEmpty()) {
            return text;
        }
        String nfc = Normalizer.normalize(replaceLoneSurrogates(text), Normalizer.Form.NFC);
        return MARK + nfc.replace(' ', SPACE_MARK);
    }

    /**
     * Splits a normalised text into words (step 2).
     *
     * @param normalized the output of {@link #normalize(String)}
     * @param words receives the words, in order, none empty
     */
    void split(String normalized, Consumer<String> words) {
        int start = 0;
        for (int i = 1; i <= normalized.length(); i++) {
            if (i == normalized.length() || normalized.charAt(i) == SPACE_MARK) {
                if (i > start) {
                    splitWord(normalized.substring(start, i), words);
                }
                start = i;
            }
        }
    }

    private void splitWord(String word, Consumer<String> words) {
        if (!splitPunctuation) {
            words.accept(word);
            return;
        }
        int start = 0;
        int i = 0;
        while (i < word.length()) {
            int cp = word.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (isPunctuation(cp)) {
                if (i > start) {
                    words.accept(word.substring(start, i));
                }
                words.accept(word.substring(i, next));
                start = next;
            }
            i = next;
        }
        if (start < word.length()) {
            words.accept(start == 0 ? word : word.substring(start));
        }
    }

    /**
     * Tells whether a code point is in {@link #PUNCTUATION}.
     *
     * @param cp a code point
     * @return true for punctuation
     */
    static boolean isPunctuation(int cp) {
        return Arrays.binarySearch(PUNCTUATION, cp) >= 0;
    }

    /**
     * Returns the HF normalizer of step 1.
     *
     * @return the {@code normalizer} of tokenizer.json
     */
    static JsonObject normalizerJson() {
        JsonArray steps = new JsonArray();
        steps.add(type("NFC"));
        JsonObject prepend = type("Prepend");
        prepend.addProperty("prepend", MARK);
        steps.add(prepend);
        steps.add(replace(" ", MARK));
        JsonObject sequence = type("Sequence");
        sequence.add("normalizers", steps);
        return sequence;
    }

    /**
     * Returns the HF pre-tokenizer of step 2.
     *
     * @return the {@code pre_tokenizer} of tokenizer.json
     */
    JsonObject preTokenizerJson() {
        JsonObject words = split(stringPattern(MARK), "MergedWithNext");
        if (!splitPunctuation) {
            return words;
        }
        StringBuilder regex = new StringBuilder("[");
        for (int cp : PUNCTUATION) {
            regex.append(String.format("\\x{%X}", cp));
        }
        JsonObject pattern = new JsonObject();
        pattern.addProperty("Regex", regex.append(']').toString());
        JsonArray steps = new JsonArray();
        steps.add(words);
        steps.add(split(pattern, "Isolated"));
        JsonObject sequence = type("Sequence");
        sequence.add("pretokenizers", steps);
        return sequence;
    }

    /**
     * Returns the HF decoder that undoes the normalisation: {@code ▁} back to space, byte tokens
     * back to characters, and the leading space removed.
     *
     * @return the {@code decoder} of tokenizer.json
     */
    static JsonObject decoderJson() {
        JsonArray steps = new JsonArray();
        steps.add(replace(MARK, " "));
        steps.add(type("ByteFallback"));
        steps.add(type("Fuse"));
        JsonObject strip = type("Strip");
        strip.addProperty("content", " ");
        strip.addProperty("start", 1);
        strip.addProperty("stop", 0);
        steps.add(strip);
        JsonObject sequence = type("Sequence");
        sequence.add("decoders", steps);
        return sequence;
    }

    private static JsonObject split(JsonObject pattern, String behavior) {
        JsonObject split = type("Split");
        split.add("pattern", pattern);
        split.addProperty("behavior", behavior);
        split.addProperty("invert", false);
        return split;
    }

    private static JsonObject replace(String from, String to) {
        JsonObject replace = type("Replace");
        replace.add("pattern", stringPattern(from));
        replace.addProperty("content", to);
        return replace;
    }

    private static JsonObject stringPattern(String s) {
        JsonObject pattern = new JsonObject();
        pattern.addProperty("String", s);
        return pattern;
    }

    private static JsonObject type(String type) {
        JsonObject object = new JsonObject();
        object.addProperty("type", type);
        return object;
    }

    private static String replaceLoneSurrogates(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lone;
            if (Character.isHighSurrogate(c)) {
                lone = i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
                if (!lone) {
                    if (out != null) {
                        out.append(c).append(text.charAt(i + 1));
                    }
                    i++;
                    continue;
                }
            } else {
                lone = Character.isLowSurrogate(c);
            }
            if (lone && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(lone ? '\ufffd' : c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static int[] sorted(String chars) {
        int[] cps = chars.codePoints().sorted().distinct().toArray();
        if (cps.length != chars.codePoints().count()) {
            throw new IllegalStateException("PUNCTUATION lists a character twice");
        }
        return cps;
    }
}
