package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.util.PairList;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The state of incremental decoding (fairseq's {@code incremental_state}): what each decoder layer
 * remembers from the steps before, so that a step feeds only the new tokens and costs O(t).
 *
 * <p>Each attention block of each decoder layer owns one {@link KeyValueCache} here, found by the
 * block itself: self-attention appends its keys and values step by step, cross-attention projects
 * the encoder output once per sentence batch. The state travels through the decoder's ordinary
 * {@code forward} as an entry of its params, so a cached step and the parallel pass run the same
 * layer code; without a state the decoder is exactly the training computation.
 *
 * <p>Memory: between steps every cached array belongs to {@link #getManager()}, which the caller
 * closes at the end of its decode call. During a step ({@link Seq2SeqTransformer#decodeHidden}) the
 * cached arrays are temporarily attached to the manager of the step's input ids, so every temporary
 * of the step lands there; the caches it replaces are closed at once.
 */
public final class IncrementalState {

    /** The key under which a state travels in a block's forward params. */
    static final String PARAM = "incrementalState";

    private final NDManager manager;
    private final Map<Block, KeyValueCache> caches = new IdentityHashMap<>();
    private long length;

    /**
     * Creates an empty state: no position decoded yet.
     *
     * @param manager owns the cached arrays between steps; close it when decoding ends
     */
    public IncrementalState(NDManager manager) {
        this.manager = manager;
    }

    /**
     * Returns the manager that owns the cached arrays between steps.
     *
     * @return the manager
     */
    public NDManager getManager() {
        return manager;
    }

    /**
     * Returns the number of target positions decoded so far: the position of the next token.
     *
     * @return the decoded length t
     */
    public long getLength() {
        return length;
    }

    /**
     * Keeps the given batch rows, in the given order, in every cache: reorders beams after a
     * beam-search step, or drops finished sentences. Call it between steps.
     *
     * @param rows the rows to keep {@code [B']}, integer indices into the current batch
     */
    public void reorder(NDArray rows) {
        NDArray index =
                rows.getDataType() == DataType.INT64 ? rows : rows.toType(DataType.INT64, false);
        try {
            for (KeyValueCache cache : caches.values()) {
                cache.reorder(index, manager);
            }
        } finally {
            if (index != rows) {
                index.close();
            }
        }
    }

    /**
     * Returns the cache of one attention block, empty on first use.
     *
     * @param attention the block that owns the cache
     * @return its cache
     */
    KeyValueCache cache(Block attention) {
        return caches.computeIfAbsent(attention, a -> new KeyValueCache());
    }

    /**
     * Starts a step: the cached arrays move temporarily to the step's manager.
     *
     * @param step the manager of the step's temporaries
     */
    void beginStep(NDManager step) {
        for (KeyValueCache cache : caches.values()) {
            for (NDArray array : cache.arrays()) {
                joinStep(array, step);
            }
        }
    }

    /**
     * Attaches an array to a step's manager until that manager closes, then returns it to its own
     * manager; a no-op for an array already there.
     *
     * @param array the array the step reads
     * @param step the manager of the step's temporaries
     */
    static void joinStep(NDArray array, NDManager step) {
        if (array.getManager() != step) {
            array.tempAttach(step);
        }
    }

    /**
     * Ends a step: the (new) cached arrays return to this state's manager and the decoded length
     * grows.
     *
     * @param positions the number of positions the step decoded
     */
    void endStep(long positions) {
        for (KeyValueCache cache : caches.values()) {
            for (NDArray array : cache.arrays()) {
                array.attach(manager);
            }
        }
        length += positions;
    }

    /**
     * Wraps this state as forward params.
     *
     * @return params holding this state
     */
    PairList<String, Object> toParams() {
        PairList<String, Object> params = new PairList<>();
        params.add(PARAM, this);
        return params;
    }

    /**
     * Finds the state in forward params.
     *
     * @param params a block's forward params, or null
     * @return the state, or null in the parallel (uncached) pass
     */
    static IncrementalState from(PairList<String, Object> params) {
        return params == null ? null : (IncrementalState) params.get(PARAM);
    }

    /**
     * Lists the arrays held, for tests.
     *
     * @return every cached key and value array
     */
    NDList arrays() {
        NDList all = new NDList();
        caches.values().forEach(c -> all.addAll(c.arrays()));
        return all;
    }
}
