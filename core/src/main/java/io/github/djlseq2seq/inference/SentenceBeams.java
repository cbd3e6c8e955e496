package io.github.djlseq2seq.inference;

import io.github.djlseq2seq.data.SpecialTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The beams of one sentence during beam search, on the host: k live hypotheses (their tokens and
 * cumulative log-probabilities) and the finished ones.
 *
 * <p>One step, as fairseq's sequence generator: of the best 2k extensions of the live beams, those
 * ending in END among the best k are finished; the best k others become the new live beams. The
 * sentence is done when it has k finished hypotheses, or when no live beam can beat the K-th best
 * finished one (K = {@link DecodingOptions#getNBest}, at most k) even with the most favourable
 * length penalty, or at its maximum length, where every live beam is finished with END. Its result
 * is the n-best list: the K finished hypotheses of best normalized score, best first.
 */
final class SentenceBeams {

    private final int beamSize;
    private final int maxLength;
    private final DecodingOptions options;
    private double[] scores; // [k], -inf for a dead beam
    private int[][] tokens; // [k][t]
    private int[] parents; // [k], the beam each new beam extends
    private final List<Hypothesis> finished = new ArrayList<>();
    private boolean done;

    /**
     * Starts a sentence with one live beam (START) and k - 1 dead ones.
     *
     * @param options the beam size and length penalty
     * @param maxLength the most tokens the sentence may produce, END not counted
     */
    SentenceBeams(DecodingOptions options, int maxLength) {
        this.options = options;
        this.beamSize = options.getBeamSize();
        this.maxLength = maxLength;
        scores = new double[beamSize];
        tokens = new int[beamSize][0];
        parents = new int[beamSize];
        Arrays.fill(scores, 1, beamSize, Double.NEGATIVE_INFINITY);
    }

    /**
     * Returns whether the sentence needs no more steps.
     *
     * @return true when done
     */
    boolean isDone() {
        return done;
    }

    /**
     * Returns whether this step must end every live beam: the maximum length is reached.
     *
     * @param step the number of tokens each live beam holds
     * @return true at the maximum length
     */
    boolean mustEnd(int step) {
        return step >= maxLength;
    }

    /**
     * Returns the token each beam feeds next: START first, PAD for a dead beam.
     *
     * @param beam the beam
     * @return the token id
     */
    int lastToken(int beam) {
        if (scores[beam] == Double.NEGATIVE_INFINITY) {
            return SpecialTokens.PAD_ID;
        }
        int[] t = tokens[beam];
        return t.length == 0 ? SpecialTokens.START_ID : t[t.length - 1];
    }

    /**
     * Returns the tokens a beam holds so far (not to be modified).
     *
     * @param beam the beam
     * @return its tokens
     */
    int[] tokens(int beam) {
        return tokens[beam];
    }

    /**
     * Returns which beam of the previous step each beam extends, for reordering caches.
     *
     * @param beam the new beam
     * @return its parent beam
     */
    int parent(int beam) {
        return parents[beam];
    }

    /**
     * Takes one step from the log-probabilities of the live beams' best extensions.
     *
     * @param step the number of tokens each live beam holds
     * @param topLogProbs per beam, the log-probabilities of its best extensions, row-major {@code
     *     [k][width]} from {@code offset * width}
     * @param topIds the matching token ids
     * @param width the number of extensions per beam
     * @param offset this sentence's first row
     * @param endLogProbs the log-probability of END per row, needed at the maximum length
     */
    void advance(
            int step,
            float[] topLogProbs,
            long[] topIds,
            int width,
            int offset,
            float[] endLogProbs) {
        if (mustEnd(step)) { // out of length: END for every live beam
            for (int j = 0; j < beamSize; j++) {
                if (scores[j] != Double.NEGATIVE_INFINITY) {
                    finish(tokens[j], scores[j] + endLogProbs[offset + j]);
                }
            }
            done = true;
            return;
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int j = 0; j < beamSize; j++) {
            for (int c = 0; c < width && scores[j] != Double.NEGATIVE_INFINITY; c++) {
                int i = (offset + j) * width + c;
                if (topLogProbs[i] != Float.NEGATIVE_INFINITY) {
                    candidates.add(new Candidate(j, (int) topIds[i], scores[j] + topLogProbs[i]));
                }
            }
        }
        candidates.sort(Comparator.comparingDouble((Candidate c) -> c.score).reversed());
        List<Candidate> live = new ArrayList<>(beamSize);
        for (int rank = 0; rank < Math.min(2 * beamSize, candidates.size()); rank++) {
            Candidate c = candidates.get(rank);
            if (c.token == SpecialTokens.END_ID) {
                if (rank < beamSize) {
                    finish(tokens[c.beam], c.score);
                }
            } else if (live.size() < beamSize) {
                live.add(c);
            }
        }
        extend(live);
        done = finished.size() >= beamSize || live.isEmpty() || cannotImprove();
    }

    /**
     * Returns the best finished hypothesis by normalized score.
     *
     * @return the best hypothesis; an empty one scored -∞ if none finished
     */
    Hypothesis best() {
        return nBest().get(0);
    }

    /**
     * Returns the n-best list: the K finished hypotheses of best normalized score, best first (the
     * earlier finished first among equal scores).
     *
     * @return at most K hypotheses; one empty hypothesis scored -∞ if none finished
     */
    List<Hypothesis> nBest() {
        if (finished.isEmpty()) {
            return List.of(
                    new Hypothesis(new int[0], Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY));
        }
        List<Hypothesis> sorted = new ArrayList<>(finished);
        sorted.sort(Comparator.comparingDouble(Hypothesis::getNormalizedScore).reversed());
        return List.copyOf(sorted.subList(0, Math.min(options.getNBest(), sorted.size())));
    }

    private void finish(int[] hypothesis, double score) {
        double normalized = score / options.lengthPenalty(hypothesis.length + 1); // END counted
        finished.add(new Hypothesis(hypothesis, score, normalized));
    }

    /** Makes the live candidates the new beams; the rest are dead. */
    private void extend(List<Candidate> live) {
        double[] newScores = new double[beamSize];
        int[][] newTokens = new int[beamSize][];
        for (int j = 0; j < beamSize; j++) {
            if (j < live.size()) {
                Candidate c = live.get(j);
                int[] t = Arrays.copyOf(tokens[c.beam], tokens[c.beam].length + 1);
                t[t.length - 1] = c.token;
                newScores[j] = c.score;
                newTokens[j] = t;
                parents[j] = c.beam;
            } else {
                newScores[j] = Double.NEGATIVE_INFINITY;
                newTokens[j] = new int[0];
                parents[j] = 0;
            }
        }
        scores = newScores;
        tokens = newTokens;
    }

    /**
     * Whether the K best finished hypotheses beat every live beam for good. A live beam's score
     * only falls as it grows (log-probabilities are at most 0), and with α ≥ 0 its penalty grows,
     * so its normalized score is at most {@code score / lp(maxLength + 1)}.
     */
    private boolean cannotImprove() {
        int k = options.getNBest();
        if (finished.size() < k) {
            return false;
        }
        double bestLive = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            bestLive = Math.max(bestLive, s);
        }
        double bound = bestLive / options.lengthPenalty(maxLength + 1);
        return nBest().get(k - 1).getNormalizedScore() >= bound;
    }

    /** One extension of a live beam. */
    private static final class Candidate {
        final int beam;
        final int token;
        final double score;

        Candidate(int beam, int token, double score) {
            this.beam = beam;
            this.token = token;
            this.score = score;
        }
    }
}
