package io.github.djlseq2seq.data;

import ai.djl.modality.nlp.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns text into token ids and back. Implementations keep the ids of {@link SpecialTokens} fixed
 * (PAD 0, UNK 1, START 2, END 3) and never throw on unseen characters.
 */
public interface Seq2SeqTokenizer {

    /**
     * Encodes text into ids, without START or END.
     *
     * @param text the text
     * @return the token ids
     */
    int[] encode(String text);

    /**
     * Decodes ids back into text, skipping special tokens.
     *
     * @param ids the token ids
     * @return the text
     */
    String decode(int[] ids);

    /**
     * Returns the vocabulary, as DJL's {@link Vocabulary}.
     *
     * @return the vocabulary
     */
    Vocabulary getVocabulary();

    /**
     * Returns the number of ids, special tokens included.
     *
     * @return the vocabulary size
     */
    default int size() {
        return Math.toIntExact(getVocabulary().size());
    }

    /**
     * Saves this tokenizer as a HuggingFace {@code tokenizer.json}.
     *
     * @param file the file to write
     * @throws IOException if it cannot be written
     */
    void save(Path file) throws IOException;
}
