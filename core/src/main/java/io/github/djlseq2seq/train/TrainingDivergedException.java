package io.github.djlseq2seq.train;

/**
 * Thrown when a step's loss or gradient norm is NaN or infinite (and no more batches may be
 * skipped). It is detected before the update: the model and the optimizer in memory are as after
 * the last good step, and the last good checkpoint is kept.
 */
public class TrainingDivergedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, at which step, and where the last good checkpoint is
     */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
