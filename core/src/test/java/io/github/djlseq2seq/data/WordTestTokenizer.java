package io.github.djlseq2seq.data;

import ai.djl.modality.nlp.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only tokenizer: whitespace-separated words, each new word getting the next id as it is first
 * seen. The real tokenizers live elsewhere; this one only has to honour the interface.
 */
class WordTestTokenizer implements Seq2SeqTokenizer {

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> words = new ArrayList<>(SpecialTokens.ALL);

    /** {@inheritDoc} */
    @Override
    public synchronized int[] encode(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return new int[0];
        }
        String[] parts = trimmed.split("\\s+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] =
                    ids.computeIfAbsent(
                            parts[i],
                            w -> {
                                words.add(w);
                                return words.size() - 1;
                            });
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public synchronized String decode(int[] tokenIds) {
        StringBuilder text = new StringBuilder();
        for (int id : tokenIds) {
            if (!SpecialTokens.isSpecial(id)) {
                text.append(text.length() == 0 ? "" : " ").append(words.get(id));
            }
        }
        return text.toString();
    }

    /** {@inheritDoc} */
    @Override
    public Vocabulary getVocabulary() {
        return new Vocabulary() {
            @Override
            public String getToken(long index) {
                synchronized (WordTestTokenizer.this) {
                    return words.get(Math.toIntExact(index));
                }
            }

            @Override
            public boolean contains(String token) {
                synchronized (WordTestTokenizer.this) {
                    return words.contains(token);
                }
            }

            @Override
            public long getIndex(String token) {
                synchronized (WordTestTokenizer.this) {
                    int i = words.indexOf(token);
                    return i < 0 ? SpecialTokens.UNK_ID : i;
                }
            }

            @Override
            public long size() {
                synchronized (WordTestTokenizer.this) {
                    return words.size();
                }
            }
        };
    }

    /** {@inheritDoc} */
    @Override
    public void save(Path file) {
        throw new UnsupportedOperationException("test tokenizer");
    }
}
