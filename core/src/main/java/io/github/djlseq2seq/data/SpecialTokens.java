package io.github.djlseq2seq.data;

import java.util.List;

/** The fixed special tokens every djl-seq2seq vocabulary starts with, at these ids. */
public final class SpecialTokens {

    /** Padding: never attended to, never a loss target. */
    public static final int PAD_ID = 0;

    /** Unknown: stands for anything the vocabulary cannot otherwise represent. */
    public static final int UNK_ID = 1;

    /** Start of sequence, first token of {@code X'} and of the decoder input {@code Y_in}. */
    public static final int START_ID = 2;

    /** End of sequence, last token of {@code X'} and of the decoder target {@code Y_out}. */
    public static final int END_ID = 3;

    /** Text of {@link #PAD_ID}. */
    public static final String PAD = "<pad>";

    /** Text of {@link #UNK_ID}. */
    public static final String UNK = "<unk>";

    /** Text of {@link #START_ID}. */
    public static final String START = "<s>";

    /** Text of {@link #END_ID}. */
    public static final String END = "</s>";

    /** The special tokens in id order: index i holds the text of id i. */
    public static final List<String> ALL = List.of(PAD, UNK, START, END);

    private SpecialTokens() {}

    /**
     * Tells whether an id is one of the special tokens.
     *
     * @param id a token id
     * @return true for PAD, UNK, START and END
     */
    public static boolean isSpecial(int id) {
        return id >= 0 && id < ALL.size();
    }
}
