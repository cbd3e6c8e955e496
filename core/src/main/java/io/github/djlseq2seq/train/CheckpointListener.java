package io.github.djlseq2seq.train;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Writes checkpoints: every {@code checkpointEvery} steps (unless the budget is spent, when the
 * epoch-end checkpoint follows), and at each epoch end after validation, marking it best when the
 * selection metric improved; and, when the run is stopped early, at the step it stopped.
 */
final class CheckpointListener extends TrainingListenerAdapter {

    private final RunProgress run;
    private final Checkpoints checkpoints;
    private final ResumableAdam adam;
    private final String selectBy;
    private final boolean higherIsBetter;

    /**
     * Creates the listener.
     *
     * @param run the run it saves
     * @param checkpoints the checkpoint directory
     * @param adam the optimizer whose moments are saved
     * @param selectBy the validation metric that selects the best checkpoint
     * @param higherIsBetter whether larger values of it are better
     */
    CheckpointListener(
            RunProgress run,
            Checkpoints checkpoints,
            ResumableAdam adam,
            String selectBy,
            boolean higherIsBetter) {
        this.run = run;
        this.checkpoints = checkpoints;
        this.adam = adam;
        this.selectBy = selectBy;
        this.higherIsBetter = higherIsBetter;
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        int every = run.settings().getCheckpointEvery();
        if (every > 0 && run.state().step % every == 0 && !run.budgetSpent()) {
            save(trainer);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onEpoch(Trainer trainer) {
        TrainingState state = run.state();
        Object value = run.validation().get(selectBy);
        double score = value instanceof Number n ? n.doubleValue() : Double.NaN;
        boolean best =
                !Double.isNaN(score)
                        && (Double.isNaN(state.bestScore)
                                || (higherIsBetter
                                        ? score > state.bestScore
                                        : score < state.bestScore));
        if (best) {
            state.bestScore = score;
        }
        Path saved = save(trainer);
        if (best) {
            try {
                checkpoints.markBest(saved);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Writes a checkpoint at the current step, unless the latest one (written or resumed from) is
     * at that step already or no step was taken: used when the run is stopped early.
     *
     * @param trainer the trainer
     */
    void saveUnlessSaved(Trainer trainer) {
        int step = run.state().step;
        Path last = run.lastCheckpoint();
        if (step > 0 && (last == null || !last.equals(checkpoints.pathOf(step)))) {
            save(trainer);
        }
    }

    private Path save(Trainer trainer) {
        run.state().elapsedSeconds = run.elapsed();
        try {
            Path saved = checkpoints.save(trainer.getModel(), adam, run.state());
            run.setLastCheckpoint(saved);
            return saved;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
