package io.github.djlseq2seq.data;

import java.util.List;

/**
 * Cuts raw text at the literal texts of the {@link SpecialTokens} ({@code <pad>}, {@code <unk>},
 * {@code <s>}, {@code </s>}), as HuggingFace tokenizers do with the special tokens of its {@code
 * added_tokens}: such a literal becomes its special id, and the text between them is tokenized
 * piece by piece.
 */
final class SpecialTokenSplitter {

    /** Receives the pieces of a text, in order. */
    interface Sink {

        /**
         * Takes a piece of ordinary text (never empty).
         *
         * @param text the piece
         */
        void text(String text);

        /**
         * Takes a special token found in the text.
         *
         * @param id its id
         */
        void special(int id);
    }

    private static final List<String> SPECIALS = SpecialTokens.ALL;

    private SpecialTokenSplitter() {}

    /**
     * Splits a text into ordinary pieces and special tokens.
     *
     * @param text the raw text
     * @param sink what receives the pieces
     */
    static void split(String text, Sink sink) {
        int start = 0;
        int i = text.indexOf('<');
        while (i >= 0) {
            int id = specialAt(text, i);
            if (id < 0) {
                i = text.indexOf('<', i + 1);
                continue;
            }
            if (i > start) {
                sink.text(text.substring(start, i));
            }
            sink.special(id);
            start = i + SPECIALS.get(id).length();
            i = text.indexOf('<', start);
        }
        if (start < text.length()) {
            sink.text(start == 0 ? text : text.substring(start));
        }
    }

    /** Returns the id of the longest special token starting at {@code pos}, or -1. */
    private static int specialAt(String text, int pos) {
        int best = -1;
        for (int id = 0; id < SPECIALS.size(); id++) {
            String special = SPECIALS.get(id);
            if (text.startsWith(special, pos)
                    && (best < 0 || special.length() > SPECIALS.get(best).length())) {
                best = id;
            }
        }
        return best;
    }
}
