package io.github.djlseq2seq.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * The mutable state of one {@link TrainingLoop#run}: the checkpointed {@link TrainingState}, the
 * training clock, and what the last step and the last validation produced, shared by the loop and
 * its training listeners.
 *
 * <p>The clock counts training time only: it stops while the model is validated, and continues from
 * the time recorded by the checkpoint a run resumes from.
 */
final class RunProgress {

    private final TrainingState state;
    private final TrainingSettings settings;
    private final double elapsedBefore;
    private final long startNanos = System.nanoTime();
    private long pausedNanos;
    private long pausedAt = -1;
    private float lastLoss = Float.NaN;
    private long lastTokens;
    private Path lastCheckpoint;
    private Map<String, Object> validation = Map.of();

    /**
     * Starts the clock of a run.
     *
     * @param state the state to continue from (a fresh one, or a checkpoint's)
     * @param settings the budgets
     */
    RunProgress(TrainingState state, TrainingSettings settings) {
        this.state = state;
        this.settings = settings;
        this.elapsedBefore = state.elapsedSeconds;
    }

    TrainingState state() {
        return state;
    }

    TrainingSettings settings() {
        return settings;
    }

    /**
     * Records a finished optimizer step.
     *
     * @param loss its mean training loss
     * @param tokens its target (non-PAD) tokens
     */
    void stepDone(float loss, long tokens) {
        state.step++;
        state.targetTokens += tokens;
        lastLoss = loss;
        lastTokens = tokens;
    }

    float lastLoss() {
        return lastLoss;
    }

    long lastTokens() {
        return lastTokens;
    }

    Path lastCheckpoint() {
        return lastCheckpoint;
    }

    void setLastCheckpoint(Path checkpoint) {
        lastCheckpoint = checkpoint;
    }

    /**
     * Returns the scores of the latest validation, in the order they are logged.
     *
     * @return the event: step, epoch, then the scores
     */
    Map<String, Object> validation() {
        return validation;
    }

    void setValidation(Map<String, Object> event) {
        validation = event;
    }

    /** Stops the training clock (validation is not charged to the budget). */
    void pauseClock() {
        pausedAt = System.nanoTime();
    }

    /** Restarts the training clock. */
    void resumeClock() {
        pausedNanos += System.nanoTime() - pausedAt;
        pausedAt = -1;
    }

    /**
     * Returns the training time in seconds, this run's and before a resume; validation excluded.
     *
     * @return the seconds
     */
    double elapsed() {
        long now = pausedAt >= 0 ? pausedAt : System.nanoTime();
        return elapsedBefore + (now - startNanos - pausedNanos) / 1e9;
    }

    /**
     * Returns the fraction of the step or time budget spent, whichever is further along.
     *
     * @param stepsDone the optimizer steps taken
     * @return the fraction, 0 when there is no budget
     */
    double budgetSpentFraction(int stepsDone) {
        double fraction = 0;
        if (settings.getMaxSteps() > 0) {
            fraction = (double) stepsDone / settings.getMaxSteps();
        }
        if (settings.getMaxMinutes() > 0) {
            fraction = Math.max(fraction, elapsed() / (settings.getMaxMinutes() * 60));
        }
        return fraction;
    }

    /**
     * Returns whether the step or time budget is spent.
     *
     * @return true when training must stop
     */
    boolean budgetSpent() {
        return budgetSpentFraction(state.step) >= 1;
    }
}
