package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.util.ArrayList;
import java.util.List;

/**
 * Beam search, batched over sentences, with the GNMT length penalty (fairseq's sequence generator).
 *
 * <p>Each sentence keeps k live beams in k rows of the batch ({@code row = sentence · k + beam}). A
 * step feeds every live row's last token, takes each row's best 2k extensions to the host, and lets
 * {@link SentenceBeams} choose the new beams and finish those that end; the decoder's caches are
 * then reordered so that row j holds the beam it now extends, and done sentences leave the batch.
 * The result is each sentence's n-best list: its K ({@link DecodingOptions#getNBest}) finished
 * hypotheses of best normalized score, best first. A forced target prefix is fed through one live
 * beam (every other token masked, {@link StepConstraints}); the beams branch after it.
 */
public final class BeamSearchDecoder implements SequenceDecoder {

    private final Seq2SeqTransformer model;
    private final DecodingOptions options;

    /**
     * Creates a beam-search decoder.
     *
     * @param model the initialised model
     * @param options the beam size, length penalty, maximum length and cache
     */
    public BeamSearchDecoder(Seq2SeqTransformer model, DecodingOptions options) {
        this.model = model;
        this.options = options;
    }

    /** {@inheritDoc} */
    @Override
    public List<List<Hypothesis>> decodeNBest(
            ParameterStore ps, NDArray sourceIds, int[][] prefixes) {
        int k = options.getBeamSize();
        int modelMaxLength = model.getConfig().maxLength();
        int width = Math.min(2 * k, model.getConfig().targetVocabSize());
        try (NDManager call = sourceIds.getManager().newSubManager()) {
            DecodingSession session =
                    new DecodingSession(model, ps, call, sourceIds, options.isIncremental());
            int[] sourceLengths = session.sourceLengths();
            int sentences = sourceLengths.length;
            int[][] forced =
                    StepConstraints.prefixes(
                            prefixes,
                            sentences,
                            model.getConfig().targetVocabSize(),
                            modelMaxLength);
            SentenceBeams[] beams = new SentenceBeams[sentences];
            List<Integer> active = new ArrayList<>(); // rows a·k .. a·k+k-1 hold active[a]
            long[] expand = new long[sentences * k]; // each encoded sentence to its k rows
            for (int s = 0; s < sentences; s++) {
                int maxLength =
                        StepConstraints.maxLength(
                                options, sourceLengths[s], modelMaxLength, forced[s]);
                beams[s] = new SentenceBeams(options, maxLength);
                active.add(s);
                for (int j = 0; j < k; j++) {
                    expand[s * k + j] = s;
                }
            }
            try (NDManager step = call.newSubManager()) {
                session.select(step.create(expand));
            }
            for (int t = 0; !active.isEmpty(); t++) {
                try (NDManager step = call.newSubManager()) {
                    int[] last = new int[active.size() * k];
                    for (int a = 0; a < active.size(); a++) {
                        for (int j = 0; j < k; j++) {
                            last[a * k + j] = beams[active.get(a)].lastToken(j);
                        }
                    }
                    NDArray logProbs = session.next(step.create(last)); // [A·k, V]
                    int[][] histories = new int[last.length][];
                    int[][] rowPrefixes = new int[last.length][];
                    for (int a = 0; a < active.size(); a++) {
                        for (int j = 0; j < k; j++) {
                            histories[a * k + j] = beams[active.get(a)].tokens(j);
                            rowPrefixes[a * k + j] = forced[active.get(a)];
                        }
                    }
                    logProbs =
                            StepConstraints.apply(
                                    step,
                                    logProbs,
                                    rowPrefixes,
                                    histories,
                                    options.getNoRepeatNgramSize());
                    NDList top = logProbs.topK(width, 1); // values and ids, [A·k, 2k] each
                    float[] topLogProbs = top.get(0).toFloatArray();
                    long[] topIds = top.get(1).toLongArray();
                    float[] endLogProbs = null;
                    List<Integer> next = new ArrayList<>();
                    List<Long> rows = new ArrayList<>();
                    for (int a = 0; a < active.size(); a++) {
                        SentenceBeams sentence = beams[active.get(a)];
                        if (endLogProbs == null && sentence.mustEnd(t)) {
                            endLogProbs = StepConstraints.endColumn(logProbs);
                        }
                        sentence.advance(t, topLogProbs, topIds, width, a * k, endLogProbs);
                        if (!sentence.isDone()) {
                            next.add(active.get(a));
                            for (int j = 0; j < k; j++) {
                                rows.add((long) a * k + sentence.parent(j));
                            }
                        }
                    }
                    if (!next.isEmpty()) {
                        long[] order = rows.stream().mapToLong(Long::longValue).toArray();
                        session.select(step.create(order));
                    }
                    active = next;
                }
            }
            List<List<Hypothesis>> results = new ArrayList<>(sentences);
            for (SentenceBeams sentence : beams) {
                results.add(sentence.nBest());
            }
            return results;
        }
    }
}
