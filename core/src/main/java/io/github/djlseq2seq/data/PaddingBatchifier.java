package io.github.djlseq2seq.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;

/**
 * Stacks 1-D int32 token sequences of different lengths into {@code [B, L]} arrays, padding each on
 * the right with {@link SpecialTokens#PAD_ID} to the longest in the batch.
 *
 * <p>Each record's {@link NDList} may hold several sequences (e.g. {@code X'} and {@code Y_in});
 * the i-th arrays of all records become the i-th array of the batch, padded to its own length. The
 * padding is done in Java and each batch array is created once, in the manager of the records'
 * arrays (the batch's manager under DJL's data loader). Sequences must not end with PAD, so that
 * {@link #unbatchify} can give the records back exactly.
 */
public final class PaddingBatchifier implements Batchifier {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public NDList batchify(NDList[] inputs) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException("cannot batchify an empty list of records");
        }
        int arrays = inputs[0].size();
        NDList batch = new NDList(arrays);
        for (int j = 0; j < arrays; j++) {
            int[][] rows = new int[inputs.length][];
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i].size() != arrays) {
                    throw new IllegalArgumentException(
                            "record " + i + " has " + inputs[i].size() + " arrays, not " + arrays);
                }
                NDArray array = inputs[i].get(j);
                if (array.getDataType() != DataType.INT32 || array.getShape().dimension() != 1) {
                    throw new IllegalArgumentException(
                            "expected 1-D int32 token ids, got "
                                    + array.getDataType()
                                    + " "
                                    + array.getShape());
                }
                rows[i] = array.toIntArray();
            }
            batch.add(pad(inputs[0].get(j).getManager(), rows)); // [B, L]
        }
        return batch;
    }

    /**
     * Returns each record's sequences with the trailing PAD removed.
     *
     * @param inputs the batch, each array {@code [B, L]}
     * @return one {@link NDList} of 1-D arrays per row
     */
    @Override
    public NDList[] unbatchify(NDList inputs) {
        int rows = Math.toIntExact(inputs.head().getShape().get(0));
        NDList[] records = new NDList[rows];
        for (int i = 0; i < rows; i++) {
            records[i] = new NDList(inputs.size());
        }
        for (NDArray array : inputs) {
            int width = Math.toIntExact(array.getShape().get(1));
            int[] flat = array.toIntArray();
            for (int i = 0; i < rows; i++) {
                int length = width;
                while (length > 0 && flat[i * width + length - 1] == SpecialTokens.PAD_ID) {
                    length--;
                }
                int[] row = new int[length];
                System.arraycopy(flat, i * width, row, 0, length);
                records[i].add(array.getManager().create(row));
            }
        }
        return records;
    }

    /**
     * Creates a {@code [B, L]} int32 array from rows of different lengths, padded with PAD.
     *
     * @param manager the manager that owns the new array
     * @param rows the B rows; L is the longest
     * @return the padded array
     */
    public static NDArray pad(NDManager manager, int[][] rows) {
        int width = 0;
        for (int[] row : rows) {
            width = Math.max(width, row.length);
        }
        int[] flat = new int[rows.length * width]; // zero-filled, and PAD_ID is 0
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, rows[i].length);
        }
        return manager.create(flat, new Shape(rows.length, width));
    }

    /**
     * Counts the non-PAD positions of an array, e.g. the target tokens of a batch for averaging the
     * loss. Runs on the array's device; {@link ParallelTextDataset#countTargetTokens} answers from
     * the lengths, without touching the arrays.
     *
     * @param ids a token id array of any shape
     * @return the number of entries that are not PAD
     */
    public static long countNonPad(NDArray ids) {
        try (NDArray mask = ids.neq(SpecialTokens.PAD_ID);
                NDArray ones = mask.toType(DataType.INT64, false);
                NDArray count = ones.sum()) {
            return count.getLong();
        }
    }
}
