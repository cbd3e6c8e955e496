package io.github.djlseq2seq.train;

import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.util.ProgressBar;

/**
 * Shows DJL's progress bar over the step budget, or else the time budget (in seconds), with the
 * last step's loss.
 */
final class ProgressBarListener extends TrainingListenerAdapter {

    private final RunProgress run;
    private final ProgressBar bar;
    private final boolean bySteps;

    /**
     * Creates the listener.
     *
     * @param run the run it shows; its settings must bound the steps or the time
     */
    ProgressBarListener(RunProgress run) {
        this.run = run;
        TrainingSettings settings = run.settings();
        bySteps = settings.getMaxSteps() > 0;
        long total = bySteps ? settings.getMaxSteps() : (long) (settings.getMaxMinutes() * 60);
        bar = new ProgressBar("Training", total);
    }

    /**
     * Returns whether a bar can be shown: only over a step or time budget.
     *
     * @param settings the budgets
     * @return true if one of them is set
     */
    static boolean applies(TrainingSettings settings) {
        return settings.getMaxSteps() > 0 || settings.getMaxMinutes() > 0;
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        long done = bySteps ? run.state().step : (long) run.elapsed();
        bar.update(done, String.format("loss %.3f", run.lastLoss()));
    }
}
