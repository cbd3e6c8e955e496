package io.github.djlseq2seq.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import java.util.Random;

/**
 * The Annotated Transformer's toy task: copy a random symbol sequence. The first thing that must
 * train end to end.
 *
 * <p>Each example is a sequence x of {@code length} symbols drawn uniformly from ids {@code [4,
 * vocabSize)} (ids 0–3 are the {@link SpecialTokens}); the source is {@code [START, x, END]}, the
 * decoder input {@code [START, x]} and the target {@code [x, END]}.
 */
public final class CopyTaskDataset {

    private CopyTaskDataset() {}

    /**
     * Generates examples as int arrays {@code [count][length]}.
     *
     * @param count the number of sequences
     * @param length the symbols per sequence
     * @param vocabSize the vocabulary size, special ids included (more than 4)
     * @param seed the random seed
     * @return the symbol sequences
     */
    public static int[][] sequences(int count, int length, int vocabSize, long seed) {
        if (vocabSize <= SpecialTokens.ALL.size() || length <= 0 || count <= 0) {
            throw new IllegalArgumentException(
                    "copy task needs count > 0, length > 0 and vocabSize > 4");
        }
        Random random = new Random(seed);
        int symbols = vocabSize - SpecialTokens.ALL.size();
        int[][] x = new int[count][length];
        for (int[] row : x) {
            for (int i = 0; i < length; i++) {
                row[i] = SpecialTokens.ALL.size() + random.nextInt(symbols);
            }
        }
        return x;
    }

    /**
     * Builds a dataset of copy examples, in a fixed order.
     *
     * @param manager the manager that owns the arrays (must outlive the dataset)
     * @param sequences the symbol sequences, e.g. from {@link #sequences}
     * @param batchSize the sentences per batch
     * @return a dataset of data (source [B, L+2], decoder input [B, L+1]) and labels (target [B,
     *     L+1])
     */
    public static ArrayDataset build(NDManager manager, int[][] sequences, int batchSize) {
        int n = sequences.length;
        int length = sequences[0].length;
        int[][] source = new int[n][length + 2];
        int[][] decoderInput = new int[n][length + 1];
        int[][] target = new int[n][length + 1];
        for (int r = 0; r < n; r++) {
            source[r][0] = SpecialTokens.START_ID;
            decoderInput[r][0] = SpecialTokens.START_ID;
            System.arraycopy(sequences[r], 0, source[r], 1, length);
            System.arraycopy(sequences[r], 0, decoderInput[r], 1, length);
            System.arraycopy(sequences[r], 0, target[r], 0, length);
            source[r][length + 1] = SpecialTokens.END_ID;
            target[r][length] = SpecialTokens.END_ID;
        }
        NDArray src = manager.create(source);
        NDArray in = manager.create(decoderInput);
        NDArray out = manager.create(target);
        return new ArrayDataset.Builder()
                .setData(src, in)
                .optLabels(out)
                .setSampling(batchSize, false)
                .build();
    }
}
