package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The one place where attention masks are made.
 *
 * <p>Masks are additive biases: 0 where a query may attend to a key, a large negative number where
 * it may not. They are added to the attention scores {@code [B, H, T, S]} before the softmax, so
 * they are shaped to broadcast against them.
 */
public final class Masks {

    /** The bias that removes a key: exp(score - 1e9) is exactly 0 in float32 and float64. */
    public static final float BLOCKED = -1e9f;

    private Masks() {}

    /**
     * Blocks the PAD positions of a batch of ids as keys.
     *
     * @param ids token ids {@code [B, S]}
     * @param padId the padding id
     * @param dataType the data type of the attention scores
     * @return the bias {@code [B, 1, 1, S]}
     */
    public static NDArray keyPadding(NDArray ids, int padId, DataType dataType) {
        Shape s = ids.getShape();
        return ids.eq(padId).toType(dataType, false).mul(BLOCKED).reshape(s.get(0), 1, 1, s.get(1));
    }

    /**
     * Blocks every key after its query: query position t sees keys 0..t only (the look-ahead mask).
     * For T = 3 the blocked entries are:
     *
     * <pre>
     *   t=0: . x x
     *   t=1: . . x
     *   t=2: . . .
     * </pre>
     *
     * @param manager the manager (and device) of the result
     * @param length the sequence length T
     * @param dataType the data type of the attention scores
     * @return the bias {@code [1, 1, T, T]}
     */
    public static NDArray causal(NDManager manager, long length, DataType dataType) {
        return causal(manager, length, 0, dataType);
    }

    /**
     * The look-ahead mask of T new queries that follow {@code offset} cached positions, during
     * incremental decoding: query i sits at absolute position {@code offset + i} and sees keys
     * {@code 0 .. offset + i}. For T = 2 after 2 cached positions:
     *
     * <pre>
     *   t=2: . . . x
     *   t=3: . . . .
     * </pre>
     *
     * A single new query (T = 1) sees every key, so its mask is all zeros and callers may omit it.
     *
     * @param manager the manager (and device) of the result
     * @param length the number of new queries T
     * @param offset the number of positions before them
     * @param dataType the data type of the attention scores
     * @return the bias {@code [1, 1, T, offset + T]}
     */
    public static NDArray causal(NDManager manager, long length, long offset, DataType dataType) {
        long keys = offset + length;
        NDArray rows =
                manager.arange((int) offset, (int) keys, 1, DataType.INT32).reshape(length, 1);
        NDArray cols = manager.arange(0, (int) keys, 1, DataType.INT32).reshape(1, keys);
        return cols.gt(rows).toType(dataType, false).mul(BLOCKED).reshape(1, 1, length, keys);
    }

    /**
     * The decoder's self-attention bias: causal, and PAD inputs blocked as keys.
     *
     * @param decoderInputIds decoder input ids {@code [B, T]}
     * @param padId the padding id
     * @param dataType the data type of the attention scores
     * @return the bias {@code [B, 1, T, T]}
     */
    public static NDArray decoderSelfAttention(
            NDArray decoderInputIds, int padId, DataType dataType) {
        long length = decoderInputIds.getShape().get(1);
        NDArray causal = causal(decoderInputIds.getManager(), length, dataType);
        return keyPadding(decoderInputIds, padId, dataType).add(causal).maximum(BLOCKED);
    }
}
