package io.github.djlseq2seq.data;

import java.util.Arrays;

/** A growable list of int ids, to build token sequences without boxing. */
final class IdList {

    private int[] ids;
    private int size;

    /**
     * Makes an empty list.
     *
     * @param capacity the initial capacity
     */
    IdList(int capacity) {
        ids = new int[Math.max(capacity, 4)];
    }

    /**
     * Appends one id.
     *
     * @param id the id
     */
    void add(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
    }

    /**
     * Appends ids.
     *
     * @param more the ids
     */
    void addAll(int[] more) {
        if (size + more.length > ids.length) {
            ids = Arrays.copyOf(ids, Math.max(size * 2, size + more.length));
        }
        System.arraycopy(more, 0, ids, size, more.length);
        size += more.length;
    }

    /**
     * Returns the ids as an array.
     *
     * @return a new array
     */
    int[] toArray() {
        return Arrays.copyOf(ids, size);
    }
}
