package io.github.djlseq2seq.eval;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How BLEU splits a segment into words, by the names sacreBLEU's {@code --tokenize} takes. */
public enum BleuTokenizer {

    /** No tokenization: words are the whitespace-separated parts of the text as given. */
    NONE("none"),

    /** The default: the tokenization of WMT's {@code mteval-v13a.pl}. */
    TOKENIZER_13A("13a");

    private final String signatureName;

    BleuTokenizer(String signatureName) {
        this.signatureName = signatureName;
    }

    /**
     * Returns the tokenizer's name in sacreBLEU's command line and signature.
     *
     * @return {@code none} or {@code 13a}
     */
    public String getSignatureName() {
        return signatureName;
    }

    /**
     * Tokenizes one segment.
     *
     * @param line the segment
     * @return the tokenized segment; its words are separated by whitespace
     */
    public String tokenize(String line) {
        return this == NONE ? line : Tokenizer13a.tokenize(line);
    }

    /**
     * Finds a tokenizer by its sacreBLEU name.
     *
     * @param name {@code none} or {@code 13a}
     * @return the tokenizer
     * @throws IllegalArgumentException for any other name (sacreBLEU's {@code zh}, {@code intl},
     *     {@code char}, {@code ja-mecab}, {@code spm} are not implemented)
     */
    public static BleuTokenizer fromName(String name) {
        for (BleuTokenizer t : values()) {
            if (t.signatureName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "Unknown BLEU tokenizer '"
                        + name
                        + "', expected one of "
                        + Arrays.stream(values())
                                .map(BleuTokenizer::getSignatureName)
                                .collect(Collectors.joining(", ")));
    }
}
