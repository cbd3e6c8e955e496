package io.github.djlseq2seq.inference;

import java.util.Arrays;

/**
 * One decoded sentence: its tokens (without START and END) and the model's score for it.
 *
 * <p>The score is the model's log-probability of the output, END included: {@code Σ log p(y_i |
 * y_<i, x)} over the tokens and the final END. The normalized score divides it by the GNMT length
 * penalty of {@link DecodingOptions#lengthPenalty}; beam search ranks by it.
 */
public final class Hypothesis {

    private final int[] tokens;
    private final double score;
    private final double normalizedScore;

    /**
     * Creates a hypothesis.
     *
     * @param tokens the output token ids, without START and END
     * @param score the log-probability of the tokens and END
     * @param normalizedScore the score divided by the length penalty
     */
    public Hypothesis(int[] tokens, double score, double normalizedScore) {
        this.tokens = tokens.clone();
        this.score = score;
        this.normalizedScore = normalizedScore;
    }

    /**
     * Returns the output token ids, without START and END.
     *
     * @return a copy of the ids
     */
    public int[] getTokens() {
        return tokens.clone();
    }

    /**
     * Returns the model score: the log-probability of the tokens and the final END.
     *
     * @return the score, at most 0
     */
    public double getScore() {
        return score;
    }

    /**
     * Returns the score divided by the GNMT length penalty, by which beam search ranks.
     *
     * @return the normalized score
     */
    public double getNormalizedScore() {
        return normalizedScore;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return Arrays.toString(tokens) + " score " + score;
    }
}
