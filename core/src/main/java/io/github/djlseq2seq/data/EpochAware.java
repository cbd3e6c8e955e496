package io.github.djlseq2seq.data;

/**
 * Something whose order of records depends on the epoch, such as a shuffling sampler or a dataset
 * that uses one. The training loop sets the epoch before iterating, so that a resumed run serves
 * the same batches as an uninterrupted one.
 */
public interface EpochAware {

    /**
     * Sets the epoch of the next iteration.
     *
     * @param epoch the epoch, from 0
     */
    void setEpoch(int epoch);
}
