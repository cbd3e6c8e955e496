package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Sampling, batched over sentences: each sentence draws {@link DecodingOptions#getNBest}
 * independent samples, each next token from the model's distribution at temperature T, cut to the
 * top-k tokens and then to the top-p nucleus ({@link DecodingOptions}).
 *
 * <p>Reproducible: every sample has its own {@link Random}, seeded from the options' seed, the
 * sentence's source tokens, its forced prefix and the sample's index, so the same seed gives the
 * same samples for a sentence whatever else is in the batch and wherever it stands (up to
 * floating-point differences between batch shapes, which change a draw only when it falls on a
 * boundary between two tokens). The draws are made on the host in double precision.
 *
 * <p>A hypothesis' score is the model's own log-probability of its tokens and END (not the tempered
 * or truncated distribution's), so samples and beam search outputs compare; samples come best
 * normalized score first. END ends a sample; at its maximum length END is forced.
 */
public final class SamplingDecoder implements SequenceDecoder {

    private final Seq2SeqTransformer model;
    private final DecodingOptions options;

    /**
     * Creates a sampling decoder; the options' beam size is not read.
     *
     * @param model the initialised model
     * @param options temperature, top-k, top-p, seed, samples per sentence, maximum length
     */
    public SamplingDecoder(Seq2SeqTransformer model, DecodingOptions options) {
        this.model = model;
        this.options = options;
    }

    /** {@inheritDoc} */
    @Override
    public List<List<Hypothesis>> decodeNBest(
            ParameterStore ps, NDArray sourceIds, int[][] prefixes) {
        int samples = options.getNBest();
        Random[] random = generators(sourceIds, prefixes, samples);
        return RowDecoding.decode(
                model,
                options,
                ps,
                sourceIds,
                prefixes,
                samples,
                (step, logProbs, rows) -> {
                    int vocab = (int) logProbs.getShape().get(1);
                    float[] all = logProbs.toFloatArray(); // [A·V], on the host
                    float[] chosenLogProbs = new float[rows.length];
                    long[] ids = new long[rows.length];
                    for (int a = 0; a < rows.length; a++) {
                        int token = draw(all, a * vocab, vocab, options, random[rows[a]]);
                        ids[a] = token;
                        chosenLogProbs[a] = all[a * vocab + token];
                    }
                    return new RowDecoding.Picks(chosenLogProbs, ids);
                });
    }

    /**
     * Draws one token from a row of log-probabilities.
     *
     * @param logProbs the log-probabilities, row-major
     * @param from the row's first element
     * @param vocab the row's length
     * @param options the temperature, top-k and top-p
     * @param random the row's generator
     * @return the token
     */
    static int draw(float[] logProbs, int from, int vocab, DecodingOptions options, Random random) {
        Integer[] order = new Integer[vocab]; // tokens, most probable first
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (x, y) -> Float.compare(logProbs[from + y], logProbs[from + x]));
        if (options.getTemperature() == 0) {
            return order[0];
        }
        int keep = 0;
        while (keep < vocab && logProbs[from + order[keep]] != Float.NEGATIVE_INFINITY) {
            keep++;
        }
        keep = Math.max(1, options.getTopK() > 0 ? Math.min(keep, options.getTopK()) : keep);
        double max = logProbs[from + order[0]];
        double[] weights = new double[keep]; // unnormalised probabilities at temperature T
        double total = 0;
        for (int i = 0; i < keep; i++) {
            weights[i] = Math.exp((logProbs[from + order[i]] - max) / options.getTemperature());
            total += weights[i];
        }
        if (options.getTopP() < 1) { // the smallest head whose probability reaches p
            double cumulative = 0;
            for (int i = 0; i < keep; i++) {
                cumulative += weights[i];
                if (cumulative >= options.getTopP() * total) {
                    keep = i + 1;
                    total = cumulative;
                    break;
                }
            }
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < keep - 1; i++) {
            u -= weights[i];
            if (u < 0) {
                return order[i];
            }
        }
        return order[keep - 1];
    }

    /** One generator per row ({@code sentence · samples + sample}), seeded as the class says. */
    private Random[] generators(NDArray sourceIds, int[][] prefixes, int samples) {
        int sentences = (int) sourceIds.getShape().get(0);
        int width = (int) sourceIds.getShape().get(1);
        long[] ids = sourceIds.toType(DataType.INT64, false).toLongArray(); // on the host
        Random[] out = new Random[sentences * samples];
        for (int s = 0; s < sentences; s++) {
            long h = mix(options.getSeed());
            for (int c = 0; c < width; c++) {
                if (ids[s * width + c] != SpecialTokens.PAD_ID) {
                    h = mix(h + ids[s * width + c]);
                }
            }
            h = mix(h - 1); // between the source and the prefix
            int[] prefix = prefixes == null || prefixes[s] == null ? new int[0] : prefixes[s];
            for (int token : prefix) {
                h = mix(h + token);
            }
            for (int j = 0; j < samples; j++) {
                out[s * samples + j] = new Random(mix(h + j));
            }
        }
        return out;
    }

    /** SplitMix64's finaliser: a well-spread 64-bit hash. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
