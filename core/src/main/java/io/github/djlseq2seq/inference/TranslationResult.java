package io.github.djlseq2seq.inference;

import java.util.List;

/**
 * The translation of one {@link TranslationRequest}: its n-best list, best first (one candidate
 * unless the options ask for more; none for a blank input).
 */
public final class TranslationResult {

    private final List<Candidate> candidates;

    /**
     * Creates a result.
     *
     * @param candidates the candidates, best first
     */
    public TranslationResult(List<Candidate> candidates) {
        this.candidates = List.copyOf(candidates);
    }

    /**
     * Returns the best translation.
     *
     * @return the first candidate's text, or "" if there is none (a blank input)
     */
    public String getText() {
        return candidates.isEmpty() ? "" : candidates.get(0).text();
    }

    /**
     * Returns the n-best list.
     *
     * @return the candidates, best normalized score first
     */
    public List<Candidate> getCandidates() {
        return candidates;
    }

    /**
     * One translation and the model's scores for it (see {@link Hypothesis}).
     *
     * @param text the detokenized translation, the forced prefix included
     * @param tokens its target token ids, without START and END
     * @param score the model's log-probability of the tokens and END
     * @param normalizedScore the score divided by the GNMT length penalty, by which the list is
     *     ranked
     */
    public record Candidate(String text, int[] tokens, double score, double normalizedScore) {}
}
