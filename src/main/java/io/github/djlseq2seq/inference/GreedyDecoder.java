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
        int modelMaxLength = model.getConfig().getMaxLength();
        int forced = options.getForcedLength(); // benchmarks: exactly this many tokens, END ignored
        if (forced > modelMaxLength) {
            throw new IllegalArgumentException(
                    "Forced length " + forced + " exceeds the model's maxLength " + modelMaxLength);
        }
        try (NDManager call = sourceIds.getManager().newSubManager()) {
            DecodingSession session =
                    new DecodingSession(model, ps, call, sourceIds, options.isIncremental());
            int[] sourceLengths = session.sourceLengths();
            int sentences = sourceLengths.length;
            int[] maxLength = new int[sentences];
            List<List<Integer>> tokens = new ArrayList<>();
            for (int s = 0; s < sentences; s++) {
                maxLength[s] = options.maxOutputLength(sourceLengths[s], modelMaxLength);
                tokens.add(new ArrayList<>());
            }
            double[] scores = new double[sentences];
            Hypothesis[] results = new Hypothesis[sentences];
            int[] active = new int[sentences]; // row r decodes sentence active[r]
            Arrays.setAll(active, s -> s);
            int[] last = new int[sentences];
            Arrays.fill(last, SpecialTokens.START_ID);
            for (int t = 0; active.length > 0; t++) {
                try (NDManager step = call.newSubManager()) {
                    NDArray logProbs = session.next(step.create(last)); // [A, V]
                    NDList best = logProbs.topK(1, 1); // values and ids, [A, 1] each
                    float[] bestLogProb = best.get(0).toFloatArray();
                    long[] bestId = best.get(1).toLongArray();
                    float[] endLogProb = null;
                    int[] kept = new int[active.length];
                    int keptCount = 0;
                    for (int r = 0; r < active.length; r++) {
                        int s = active[r];
                        int token = (int) bestId[r];
                        double logProb = bestLogProb[r];
                        if (forced == 0 && t == maxLength[s]) { // out of length: END
                            if (endLogProb == null) {
                                endLogProb = endColumn(logProbs);
                            }
                            token = SpecialTokens.END_ID;
                            logProb = endLogProb[r];
                        }
                        scores[s] += logProb;
                        boolean ends = forced > 0 ? t + 1 == forced : token == SpecialTokens.END_ID;
                        if (forced > 0 || token != SpecialTokens.END_ID) {
                            tokens.get(s).add(token);
                        }
                        if (ends) {
                            results[s] = hypothesis(tokens.get(s), scores[s]);
                        } else {
                            kept[keptCount++] = r;
                        }
                    }
                    int[] next = new int[keptCount];
                    long[] rows = new long[keptCount];
                    for (int i = 0; i < keptCount; i++) {
                        rows[i] = kept[i];
                        next[i] = active[kept[i]];
                        last[i] = tokens.get(next[i]).get(tokens.get(next[i]).size() - 1);
                    }
                    if (keptCount > 0 && keptCount < active.length) {
                        session.select(step.create(rows));
                    }
                    active = next;
                    last = Arrays.copyOf(last, keptCount);
                }
            }
            return Arrays.asList(results);
        }
    }

    private Hypothesis hypothesis(List<Integer> tokens, double score) {
        int[] ids = tokens.stream().mapToInt(Integer::intValue).toArray();
        return new Hypothesis(ids, score, score / options.lengthPenalty(ids.length + 1));
    }

    /** The log-probability of END in each row. */
    static float[] endColumn(NDArray logProbs) {
        return logProbs.get(new NDIndex(":, {}", SpecialTokens.END_ID)).toFloatArray();
    }
}
