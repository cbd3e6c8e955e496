package io.github.djlseq2seq.train;

/** Thrown when the training loss becomes NaN or infinite; the last good checkpoint is kept. */
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
