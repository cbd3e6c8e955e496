package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy decoding, batched over sentences: at every step each sentence takes its most probable next
 * token (PAD and START excluded).
 *
 * <p>A sentence stops at END; at its maximum length ({@link DecodingOptions#maxOutputLength}) END
 * is forced, and its log-probability counted, as fairseq does. Finished sentences leave the batch;
 * the call returns when none is left.
 */
public final class GreedyDecoder implements SequenceDecoder {

    private final Seq2SeqTransformer model;
    private final DecodingOptions options;

    /**
     * Creates a greedy decoder; the options' beam size is not read.
     *
     * @param model the initialised model
     * @param options the maximum length, length penalty (for the normalized score) and cache
     */
    public GreedyDecoder(Seq2SeqTransformer model, DecodingOptions options) {
        this.model = model;
        this.options = options;
    }

    /** {@inheritDoc} */
    @Override
    public List<Hypothesis> decode(ParameterStore ps, NDArray sourceIds) {
        int modelMaxLength = model.getConfig().maxLength();
        try (NDManager call = sourceIds.getManager().newSubManager()) {
            DecodingSession session =
                    new DecodingSession(
                            model,
                            ps,
                            call,
                            sourceIds,
                            options.isIncremental(),
                            options.isRenormalize());
            Sentences sentences = new Sentences(session.sourceLengths(), modelMaxLength);
            for (int t = 0; !sentences.isDone(); t++) {
                try (NDManager step = call.newSubManager()) {
                    NDArray logProbs = session.next(step.create(sentences.lastTokens())); // [A,V]
                    if (options.getNoRepeatNgramSize() > 0) {
                        logProbs =
                                RepeatedNgrams.block(
                                        step,
                                        logProbs,
                                        sentences.histories(),
                                        options.getNoRepeatNgramSize());
                    }
                    NDList best = logProbs.topK(1, 1); // values and ids, [A, 1] each
                    float[] end = sentences.mustEnd(t) ? endColumn(logProbs, options) : null;
                    long[] kept =
                            sentences.advance(
                                    t, best.get(0).toFloatArray(), best.get(1).toLongArray(), end);
                    if (kept != null) { // some sentences finished: drop their rows
                        session.select(step.create(kept));
                    }
                }
            }
            return sentences.results();
        }
    }

    /** The log-probability of END in each row. */
    static float[] endColumn(NDArray logProbs, DecodingOptions options) {
        if (options.isRenormalize()) { // END is then the only choice left: log 1
            return new float[(int) logProbs.getShape().get(0)];
        }
        return logProbs.get(new NDIndex(":, {}", SpecialTokens.END_ID)).toFloatArray();
    }

    /** The sentences of one call, on the host: tokens so far, scores, and which rows still run. */
    private final class Sentences {
        private final int[] maxLength; // per sentence
        private final List<List<Integer>> tokens = new ArrayList<>();
        private final double[] scores;
        private final Hypothesis[] results;
        private int[] active; // row r decodes sentence active[r]

        Sentences(int[] sourceLengths, int modelMaxLength) {
            int count = sourceLengths.length;
            maxLength = new int[count];
            for (int s = 0; s < count; s++) {
                maxLength[s] = options.maxOutputLength(sourceLengths[s], modelMaxLength);
                tokens.add(new ArrayList<>());
            }
            scores = new double[count];
            results = new Hypothesis[count];
            active = new int[count];
            Arrays.setAll(active, s -> s);
        }

        boolean isDone() {
            return active.length == 0;
        }

        /** The token each row feeds next: START, then its last output. */
        int[] lastTokens() {
            int[] last = new int[active.length];
            for (int r = 0; r < active.length; r++) {
                List<Integer> t = tokens.get(active[r]);
                last[r] = t.isEmpty() ? SpecialTokens.START_ID : t.get(t.size() - 1);
            }
            return last;
        }

        /** Each row's tokens so far. */
        int[][] histories() {
            int[][] out = new int[active.length][];
            for (int r = 0; r < active.length; r++) {
                out[r] = tokens.get(active[r]).stream().mapToInt(Integer::intValue).toArray();
            }
            return out;
        }

        /** Whether some row reaches its maximum length at this step, where END is forced. */
        boolean mustEnd(int step) {
            return Arrays.stream(active).anyMatch(s -> step == maxLength[s]);
        }

        /**
         * Takes each row's best token (END at the maximum length) and finishes the rows that end.
         *
         * @return the rows that go on, or null if they all do
         */
        long[] advance(int step, float[] bestLogProb, long[] bestId, float[] endLogProb) {
            List<Integer> kept = new ArrayList<>();
            for (int r = 0; r < active.length; r++) {
                int s = active[r];
                int token = (int) bestId[r];
                double logProb = bestLogProb[r];
                if (step == maxLength[s]) {
                    token = SpecialTokens.END_ID;
                    logProb = endLogProb[r];
                }
                scores[s] += logProb;
                if (token == SpecialTokens.END_ID) {
                    results[s] = hypothesis(tokens.get(s), scores[s]);
                } else {
                    tokens.get(s).add(token);
                    kept.add(r);
                }
            }
            if (kept.size() == active.length) {
                return null;
            }
            int[] next = kept.stream().mapToInt(r -> active[r]).toArray();
            long[] rows = kept.stream().mapToLong(Integer::longValue).toArray();
            active = next;
            return next.length == 0 ? null : rows;
        }

        List<Hypothesis> results() {
            return Arrays.asList(results);
        }

        private Hypothesis hypothesis(List<Integer> ids, double score) {
            int[] array = ids.stream().mapToInt(Integer::intValue).toArray();
            return new Hypothesis(array, score, score / options.lengthPenalty(array.length + 1));
        }
    }
}
