package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.github.djlseq2seq.data.SpecialTokens;
import java.util.Arrays;

/**
 * What a decoding step may emit, per row: the next token of a forced target prefix while the row is
 * still inside it, and otherwise any token that repeats no n-gram ({@link RepeatedNgrams}).
 *
 * <p>A row with history {@code y_1 … y_t} and prefix {@code p_1 … p_m} is forced while {@code t <
 * m}: every token but {@code p_(t+1)} gets -∞, and {@code p_(t+1)} keeps the model's own
 * log-probability, so the hypothesis' score stays the model's log-probability of the whole output,
 * prefix included. Forced tokens are never banned as repeats.
 */
final class StepConstraints {

    private StepConstraints() {}

    /**
     * Applies the prefix forcing and the n-gram blocking to one step's log-probabilities.
     *
     * @param manager the step's manager, where masks are made
     * @param logProbs the next-token log-probabilities {@code [N, V]}
     * @param prefixes each row's forced prefix (empty for none)
     * @param histories each row's tokens so far
     * @param noRepeatNgramSize the n of {@link DecodingOptions#getNoRepeatNgramSize}, 0 for none
     * @return the constrained log-probabilities {@code [N, V]} (the same array when nothing is)
     */
    static NDArray apply(
            NDManager manager,
            NDArray logProbs,
            int[][] prefixes,
            int[][] histories,
            int noRepeatNgramSize) {
        int rows = histories.length;
        int vocab = (int) logProbs.getShape().get(1);
        float[] forced = null; // [N·V], 0 and -inf
        int[][] free = histories.clone(); // forced rows ban no repeats
        for (int r = 0; r < rows; r++) {
            int t = histories[r].length;
            if (t < prefixes[r].length) {
                if (forced == null) {
                    forced = new float[rows * vocab];
                }
                Arrays.fill(forced, r * vocab, (r + 1) * vocab, Float.NEGATIVE_INFINITY);
                forced[r * vocab + prefixes[r][t]] = 0f;
                free[r] = new int[0];
            }
        }
        NDArray out = logProbs;
        if (noRepeatNgramSize > 0) {
            out = RepeatedNgrams.block(manager, out, free, noRepeatNgramSize);
        }
        if (forced != null) {
            NDArray mask = manager.create(forced, new Shape(rows, vocab));
            out = out.add(mask.toDevice(out.getDevice(), false)); // [N, V]
        }
        return out;
    }

    /**
     * The log-probability of END in each row.
     *
     * @param logProbs the next-token log-probabilities {@code [N, V]}
     * @return END's column, on the host
     */
    static float[] endColumn(NDArray logProbs) {
        return logProbs.get(new NDIndex(":, {}", SpecialTokens.END_ID)).toFloatArray();
    }

    /**
     * The most tokens (END not counted) a sentence may produce: the options' limit, raised to hold
     * its forced prefix.
     *
     * @param options the decoding options
     * @param sourceLength n, the source's own tokens
     * @param modelMaxLength the model's longest sequence
     * @param prefix the sentence's forced prefix
     * @return the limit, at most {@code modelMaxLength - 1}
     */
    static int maxLength(
            DecodingOptions options, int sourceLength, int modelMaxLength, int[] prefix) {
        int limit = options.maxOutputLength(sourceLength, modelMaxLength);
        return Math.min(Math.max(limit, prefix.length), modelMaxLength - 1);
    }

    /**
     * Checks the forced prefixes of a batch and gives every sentence one (empty when none).
     *
     * @param prefixes one prefix per sentence, or null for none; a null entry means none
     * @param sentences the number of sentences
     * @param vocabSize the target vocabulary size
     * @param modelMaxLength the model's longest sequence; START and the prefix must fit
     * @return one prefix per sentence, never null
     * @throws IllegalArgumentException naming the sentence (0-based) and the bad token or length
     */
    static int[][] prefixes(int[][] prefixes, int sentences, int vocabSize, int modelMaxLength) {
        int[][] out = new int[sentences][];
        if (prefixes != null && prefixes.length != sentences) {
            throw new IllegalArgumentException(
                    prefixes.length + " target prefixes for a batch of " + sentences);
        }
        for (int s = 0; s < sentences; s++) {
            int[] prefix = prefixes == null || prefixes[s] == null ? new int[0] : prefixes[s];
            if (prefix.length > modelMaxLength - 1) {
                throw new IllegalArgumentException(
                        "Target prefix of sentence "
                                + s
                                + " has "
                                + prefix.length
                                + " tokens; the model's maxLength "
                                + modelMaxLength
                                + " allows at most "
                                + (modelMaxLength - 1));
            }
            for (int token : prefix) {
                if (token < 0
                        || token >= vocabSize
                        || token == SpecialTokens.PAD_ID
                        || token == SpecialTokens.START_ID
                        || token == SpecialTokens.END_ID) {
                    throw new IllegalArgumentException(
                            "Target prefix of sentence "
                                    + s
                                    + " holds token "
                                    + token
                                    + ": a prefix holds output tokens only (no PAD, START or END)"
                                    + " below the vocabulary size "
                                    + vocabSize);
                }
            }
            out[s] = prefix.clone();
        }
        return out;
    }
}
