package io.github.djlseq2seq.data;

import java.util.Arrays;

/**
 * The one mapping between a Marian vocabulary's ids and this library's, applied to the tokenizer
 * (vocab.json) and to the checkpoint's embedding rows and {@code final_logits_bias} alike.
 *
 * <p>This library fixes PAD 0, UNK 1, START 2, END 3 ({@link SpecialTokens}); a Marian vocabulary
 * of V ids has {@code </s>} (eos, usually 0), {@code <unk>} (usually 1) and {@code <pad>} (usually
 * V - 1), and its decoder starts from pad. Ours has V + 1 ids:
 *
 * <pre>
 *   ours   0 PAD    1 UNK    2 START   3 END    4, 5, …, V
 *   Marian pad      unk      pad       eos      the other V - 3 ids, in their order
 * </pre>
 *
 * <p>Marian's pad row serves twice, as our PAD (masked, never a target) and as our START (the
 * decoder's first input, as Hugging Face's {@code decoder_start_token_id = pad_token_id}). Decoding
 * never emits PAD or START, as Hugging Face never emits pad ({@code bad_words_ids = [[pad]]}); with
 * {@code renormalize_logits} (the OPUS-MT setting) the scores are then identical. Without it, the
 * pad row's probability would count twice in our softmax, once in Hugging Face's.
 */
public final class MarianIds {

    private final int[] marianOf; // ours → Marian
    private final int[] oursOf; // Marian → ours

    /**
     * Builds the mapping for a Marian vocabulary.
     *
     * @param vocabSize Marian's vocabulary size V
     * @param eos Marian's {@code </s>} id
     * @param unk Marian's {@code <unk>} id
     * @param pad Marian's {@code <pad>} id, also its decoder start
     * @throws IllegalArgumentException if an id is out of range or two of them coincide
     */
    public MarianIds(int vocabSize, int eos, int unk, int pad) {
        if (vocabSize < 4) {
            throw new IllegalArgumentException("vocab_size must be at least 4, got " + vocabSize);
        }
        check("eos_token_id", eos, vocabSize);
        check("unk id (vocab.json <unk>)", unk, vocabSize);
        check("pad_token_id", pad, vocabSize);
        if (eos == unk || eos == pad || unk == pad) {
            throw new IllegalArgumentException(
                    "eos ("
                            + eos
                            + "), unk ("
                            + unk
                            + ") and pad ("
                            + pad
                            + ") must be three different ids");
        }
        marianOf = new int[vocabSize + 1];
        oursOf = new int[vocabSize];
        marianOf[SpecialTokens.PAD_ID] = pad;
        marianOf[SpecialTokens.UNK_ID] = unk;
        marianOf[SpecialTokens.START_ID] = pad;
        marianOf[SpecialTokens.END_ID] = eos;
        int next = SpecialTokens.ALL.size();
        for (int m = 0; m < vocabSize; m++) {
            if (m != eos && m != unk && m != pad) {
                marianOf[next++] = m;
            }
        }
        for (int ours = marianOf.length - 1; ours >= 0; ours--) {
            oursOf[marianOf[ours]] = ours; // pad → PAD (0), written last
        }
    }

    private static void check(String field, int id, int vocabSize) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException(
                    field + " " + id + " is outside the vocabulary [0, " + vocabSize + ")");
        }
    }

    /**
     * Returns the size of our vocabulary, Marian's plus one (START).
     *
     * @return V + 1
     */
    public int size() {
        return marianOf.length;
    }

    /**
     * Maps a Marian id to ours (pad to PAD).
     *
     * @param marianId a Marian id
     * @return our id
     */
    public int toOurs(int marianId) {
        return oursOf[marianId];
    }

    /**
     * Maps one of our ids to Marian's (PAD and START both to pad).
     *
     * @param ourId our id
     * @return the Marian id
     */
    public int toMarian(int ourId) {
        return marianOf[ourId];
    }

    /**
     * Returns, for each of our ids in order, the Marian row it takes: the index that permutes an
     * embedding matrix {@code [V, D]} into ours {@code [V + 1, D]}.
     *
     * @return Marian ids, one per our id
     */
    public long[] rows() {
        return Arrays.stream(marianOf).asLongStream().toArray();
    }
}
