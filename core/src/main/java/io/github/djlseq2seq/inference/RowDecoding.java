package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Decoding one hypothesis per row, batched: greedy (one row per sentence) and sampling ({@code
 * samples} rows per sentence, {@code row = sentence · samples + sample}). At every step each row
 * takes the token its {@link Picker} chooses.
 *
 * <p>A row stops at END; at its maximum length END is forced, and its log-probability counted, as
 * fairseq does. Finished rows leave the batch; the call returns when none is left.
 */
final class RowDecoding {

    /** Chooses each live row's next token. */
    interface Picker {

        /**
         * Chooses the next token of each live row.
         *
         * @param step the step's manager
         * @param logProbs the constrained next-token log-probabilities {@code [A, V]}
         * @param rows for each live row, its index among all rows of the call
         * @return per live row, the chosen token and the model's log-probability of it
         */
        Picks pick(NDManager step, NDArray logProbs, int[] rows);
    }

    /**
     * Tokens chosen at one step, and their log-probabilities.
     *
     * @param logProbs per live row, the log-probability of its token
     * @param ids per live row, the token
     */
    record Picks(float[] logProbs, long[] ids) {}

    private RowDecoding() {}

    /**
     * Decodes every row and returns each sentence's hypotheses, best normalized score first.
     *
     * @param model the model
     * @param options the maximum length, length penalty, n-gram blocking and cache
     * @param ps the parameter store
     * @param sourceIds the source ids {@code [B, S]}
     * @param prefixes the forced target prefixes, or null
     * @param samples the rows per sentence
     * @param picker the token choice
     * @return per sentence, its {@code samples} hypotheses
     */
    static List<List<Hypothesis>> decode(
            Seq2SeqTransformer model,
            DecodingOptions options,
            ParameterStore ps,
            NDArray sourceIds,
            int[][] prefixes,
            int samples,
            Picker picker) {
        int modelMaxLength = model.getConfig().maxLength();
        try (NDManager call = sourceIds.getManager().newSubManager()) {
            DecodingSession session =
                    new DecodingSession(model, ps, call, sourceIds, options.isIncremental());
            int[] sourceLengths = session.sourceLengths();
            int[][] forced =
                    StepConstraints.prefixes(
                            prefixes,
                            sourceLengths.length,
                            model.getConfig().targetVocabSize(),
                            modelMaxLength);
            Rows rows = new Rows(options, sourceLengths, forced, samples, modelMaxLength);
            if (samples > 1) {
                try (NDManager step = call.newSubManager()) {
                    long[] expand = new long[sourceLengths.length * samples];
                    Arrays.setAll(expand, r -> r / samples); // each sentence to its rows
                    session.select(step.create(expand));
                }
            }
            for (int t = 0; !rows.isDone(); t++) {
                try (NDManager step = call.newSubManager()) {
                    NDArray logProbs = session.next(step.create(rows.lastTokens())); // [A, V]
                    logProbs =
                            StepConstraints.apply(
                                    step,
                                    logProbs,
                                    rows.prefixes(),
                                    rows.histories(),
                                    options.getNoRepeatNgramSize());
                    Picks picks = picker.pick(step, logProbs, rows.active.clone());
                    float[] end = rows.mustEnd(t) ? StepConstraints.endColumn(logProbs) : null;
                    long[] kept = rows.advance(t, picks, end);
                    if (kept != null) { // some rows finished: drop them
                        session.select(step.create(kept));
                    }
                }
            }
            return rows.results(sourceLengths.length, samples);
        }
    }

    /** The rows of one call, on the host: tokens so far, scores, and which rows still run. */
    private static final class Rows {
        private final DecodingOptions options;
        private final int[][] prefix; // per row
        private final int[] maxLength; // per row
        private final List<List<Integer>> tokens = new ArrayList<>();
        private final double[] scores;
        private final Hypothesis[] results;
        private int[] active; // live row a decodes row active[a]

        Rows(
                DecodingOptions options,
                int[] sourceLengths,
                int[][] prefixes,
                int samples,
                int modelMaxLength) {
            this.options = options;
            int count = sourceLengths.length * samples;
            prefix = new int[count][];
            maxLength = new int[count];
            for (int r = 0; r < count; r++) {
                int s = r / samples;
                prefix[r] = prefixes[s];
                maxLength[r] =
                        StepConstraints.maxLength(
                                options, sourceLengths[s], modelMaxLength, prefixes[s]);
                tokens.add(new ArrayList<>());
            }
            scores = new double[count];
            results = new Hypothesis[count];
            active = new int[count];
            Arrays.setAll(active, r -> r);
        }

        boolean isDone() {
            return active.length == 0;
        }

        /** The token each live row feeds next: START, then its last output. */
        int[] lastTokens() {
            int[] last = new int[active.length];
            for (int a = 0; a < active.length; a++) {
                List<Integer> t = tokens.get(active[a]);
                last[a] = t.isEmpty() ? SpecialTokens.START_ID : t.get(t.size() - 1);
            }
            return last;
        }

        /** Each live row's tokens so far. */
        int[][] histories() {
            int[][] out = new int[active.length][];
            for (int a = 0; a < active.length; a++) {
                out[a] = ids(tokens.get(active[a]));
            }
            return out;
        }

        /** Each live row's forced prefix. */
        int[][] prefixes() {
            int[][] out = new int[active.length][];
            for (int a = 0; a < active.length; a++) {
                out[a] = prefix[active[a]];
            }
            return out;
        }

        /** Whether some row reaches its maximum length at this step, where END is forced. */
        boolean mustEnd(int step) {
            return Arrays.stream(active).anyMatch(r -> step == maxLength[r]);
        }

        /**
         * Takes each live row's token (END at the maximum length) and finishes the rows that end.
         *
         * @return the live rows that go on, or null if they all do
         */
        long[] advance(int step, Picks picks, float[] endLogProb) {
            List<Integer> kept = new ArrayList<>();
            for (int a = 0; a < active.length; a++) {
                int r = active[a];
                int token = (int) picks.ids()[a];
                double logProb = picks.logProbs()[a];
                if (step == maxLength[r]) {
                    token = SpecialTokens.END_ID;
                    logProb = endLogProb[a];
                }
                scores[r] += logProb;
                if (token == SpecialTokens.END_ID) {
                    int[] ids = ids(tokens.get(r));
                    double normalized = scores[r] / options.lengthPenalty(ids.length + 1);
                    results[r] = new Hypothesis(ids, scores[r], normalized);
                } else {
                    tokens.get(r).add(token);
                    kept.add(a);
                }
            }
            if (kept.size() == active.length) {
                return null;
            }
            active = kept.stream().mapToInt(a -> active[a]).toArray();
            return active.length == 0 ? null : kept.stream().mapToLong(a -> a).toArray();
        }

        /** Each sentence's hypotheses, best normalized score first. */
        List<List<Hypothesis>> results(int sentences, int samples) {
            List<List<Hypothesis>> out = new ArrayList<>(sentences);
            for (int s = 0; s < sentences; s++) {
                List<Hypothesis> list =
                        new ArrayList<>(
                                Arrays.asList(results).subList(s * samples, (s + 1) * samples));
                list.sort(Comparator.comparingDouble(Hypothesis::getNormalizedScore).reversed());
                out.add(list);
            }
            return out;
        }

        private static int[] ids(List<Integer> list) {
            return list.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
