package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.function.Supplier;

/**
 * The keys and values one attention block has seen so far during incremental decoding, each {@code
 * [B, H, t, D/H]}. A self-attention cache grows by one step at a time ({@link #append}); a
 * cross-attention cache is filled once per sentence batch ({@link #computeIfAbsent}).
 *
 * <p>The arrays it holds are owned by the {@link IncrementalState} that made it; an array this
 * cache replaces is closed at once, so a decoding loop holds exactly one key and one value array
 * per attention block.
 */
final class KeyValueCache {

    private NDArray keys; // [B, H, t, Dh]
    private NDArray values; // [B, H, t, Dh]

    /**
     * Appends new keys and values after the cached ones, along the time axis.
     *
     * @param keyValue the new keys and values, each {@code [B, H, T, D/H]}
     * @return all keys and values, each {@code [B, H, t + T, D/H]}
     */
    NDList append(NDList keyValue) {
        if (keys == null) {
            keys = keyValue.get(0);
            values = keyValue.get(1);
        } else {
            keys = replace(keys, NDArrays.concat(new NDList(keys, keyValue.get(0)), 2));
            values = replace(values, NDArrays.concat(new NDList(values, keyValue.get(1)), 2));
        }
        return new NDList(keys, values);
    }

    /**
     * Returns the cached keys and values, computing them on first use.
     *
     * @param compute makes the keys and values, each {@code [B, H, S, D/H]}
     * @return the keys and values
     */
    NDList computeIfAbsent(Supplier<NDList> compute) {
        if (keys == null) {
            NDList keyValue = compute.get();
            keys = keyValue.get(0);
            values = keyValue.get(1);
        }
        return new NDList(keys, values);
    }

    /**
     * Keeps the given rows (sentences or beams) of the batch, in the given order.
     *
     * @param rows the batch rows to keep, int64 {@code [B']}
     * @param manager the manager of the reordered arrays
     */
    void reorder(NDArray rows, NDManager manager) {
        if (keys != null) {
            NDIndex index = new NDIndex("{}", rows);
            keys = replace(keys, keys.get(manager, index)); // [B', H, t, Dh]
            values = replace(values, values.get(manager, index)); // [B', H, t, Dh]
        }
    }

    /**
     * Returns the cached arrays (empty before the first step).
     *
     * @return the keys and values, or an empty list
     */
    NDList arrays() {
        return keys == null ? new NDList() : new NDList(keys, values);
    }

    private static NDArray replace(NDArray old, NDArray fresh) {
        old.close();
        return fresh;
    }
}
