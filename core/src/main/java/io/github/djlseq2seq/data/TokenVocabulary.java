package io.github.djlseq2seq.data;

import ai.djl.modality.nlp.Vocabulary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable token list, id i holding token i, shared by the BPE and the word-level tokenizer.
 *
 * <p>Ids 0 to 3 are always the {@link SpecialTokens}. Like DJL's {@code DefaultVocabulary}, an
 * unknown token maps to {@link SpecialTokens#UNK_ID} and an out-of-range id to {@link
 * SpecialTokens#UNK}.
 */
public final class TokenVocabulary implements Vocabulary {

    private final List<String> tokens;
    private final Map<String, Integer> ids;

    private TokenVocabulary(List<String> tokens) {
        this.tokens = Collections.unmodifiableList(new ArrayList<>(tokens));
        this.ids = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token == null || token.isEmpty()) {
                throw new IllegalArgumentException("token " + i + " is empty");
            }
            Integer previous = ids.put(token, i);
            if (previous != null) {
                throw new IllegalArgumentException(
                        "token '" + token + "' appears twice, at ids " + previous + " and " + i);
            }
        }
        for (int i = 0; i < SpecialTokens.ALL.size(); i++) {
            if (i >= tokens.size() || !SpecialTokens.ALL.get(i).equals(tokens.get(i))) {
                throw new IllegalArgumentException(
                        "id " + i + " must be the special token " + SpecialTokens.ALL.get(i));
            }
        }
    }

    /**
     * Makes a vocabulary from its tokens in id order; the first four must be {@link
     * SpecialTokens#ALL}.
     *
     * @param tokens the tokens, index i holding the token of id i
     * @return the vocabulary
     * @throws IllegalArgumentException if the special tokens are not first, or a token is empty or
     *     repeated
     */
    public static TokenVocabulary of(List<String> tokens) {
        return new TokenVocabulary(tokens);
    }

    /** {@inheritDoc} */
    @Override
    public String getToken(long index) {
        if (index < 0 || index >= tokens.size()) {
            return SpecialTokens.UNK;
        }
        return tokens.get((int) index);
    }

    /** {@inheritDoc} */
    @Override
    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    /** {@inheritDoc} */
    @Override
    public long getIndex(String token) {
        return ids.getOrDefault(token, SpecialTokens.UNK_ID);
    }

    /**
     * Returns the id of a token, or -1 if it is not in the vocabulary.
     *
     * @param token the token
     * @return its id, or -1
     */
    public int idOf(String token) {
        return ids.getOrDefault(token, -1);
    }

    /** {@inheritDoc} */
    @Override
    public long size() {
        return tokens.size();
    }

    /**
     * Returns all tokens in id order.
     *
     * @return an unmodifiable list, index i holding the token of id i
     */
    public List<String> getTokens() {
        return tokens;
    }
}
