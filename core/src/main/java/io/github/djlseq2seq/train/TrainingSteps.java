package io.github.djlseq2seq.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.listener.TrainingListener;
import ai.djl.translate.TranslateException;
import io.github.djlseq2seq.data.EpochAware;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The epochs and steps of one {@link TrainingLoop#run} on an initialised {@link Trainer}: each step
 * notifies the trainer's listeners with {@code onTrainingBatch}, each validation (at an epoch end,
 * or where the budget runs out) with {@code onEpoch}.
 */
final class TrainingSteps {

    private final TrainingLoop loop;
    private final Trainer trainer;
    private final ResumableAdam adam;
    private final BudgetSchedule budgetSchedule;
    private final PaddedCrossEntropyLoss loss;
    private final RunProgress run;
    private final PaddedCrossEntropyLoss summed;
    private final DeviceParameters copies;
    private final int updateFreq;

    /**
     * Prepares the run.
     *
     * @param loop what to train on and how
     * @param trainer the initialised trainer, with the listeners
     * @param adam its optimizer
     * @param budgetSchedule the learning-rate schedule if it decays to the budget, else null
     * @param loss its training loss
     * @param run the state of the run
     * @throws IllegalStateException if the trainer's copies of the parameters cannot be found
     */
    TrainingSteps(
            TrainingLoop loop,
            Trainer trainer,
            ResumableAdam adam,
            BudgetSchedule budgetSchedule,
            PaddedCrossEntropyLoss loss,
            RunProgress run) {
        this.loop = loop;
        this.trainer = trainer;
        this.adam = adam;
        this.budgetSchedule = budgetSchedule;
        this.loss = loss;
        this.run = run;
        this.summed =
                PaddedCrossEntropyLoss.builder()
                        .optLabelSmoothing(loss.getLabelSmoothing())
                        .optReduction(PaddedCrossEntropyLoss.Reduction.SUM)
                        .build();
        this.copies = DeviceParameters.of(trainer);
        this.updateFreq = loop.settings.getUpdateFreq();
    }

    /**
     * Trains epoch after epoch until a budget is spent, validating after each; returns without
     * validating after the step in progress when a stop is requested.
     *
     * @throws IOException if the data cannot be read
     * @throws TranslateException if batching or the evaluator fails
     */
    void epochs() throws IOException, TranslateException {
        TrainingState state = run.state();
        Dataset trainData = loop.trainData;
        boolean stop = false;
        while (!stop && state.epoch < loop.settings.getMaxEpochs()) {
            if (trainData instanceof EpochAware aware) {
                aware.setEpoch(state.epoch);
            }
            loop.beforeEpoch.accept(state.epoch);
            int skip = state.batchInEpoch;
            int index = 0;
            List<Batch> group = new ArrayList<>(updateFreq); // one optimizer step's micro-batches
            try {
                for (Batch batch : trainer.iterateDataset(trainData)) {
                    if (index++ < skip) {
                        batch.close();
                        continue;
                    }
                    if (group.isEmpty() && finished()) { // a spent resumed run, or a stop
                        batch.close();
                        stop = true;
                        break;
                    }
                    group.add(batch);
                    if (group.size() == updateFreq) {
                        stepAndNotify(group, index);
                        if (finished()) {
                            stop = true;
                            break;
                        }
                    }
                }
                if (!stop && !group.isEmpty()) { // the epoch's last, short group
                    stop = finished();
                    if (!stop) {
                        stepAndNotify(group, index);
                        stop = finished();
                    }
                }
            } finally {
                closeAll(group);
            }
            if (loop.stopRequested()) {
                return; // no validation: TrainingLoop writes the checkpoint
            }
            if (!stop) {
                state.epoch++;
                state.batchInEpoch = 0;
            }
            validate();
        }
    }

    /** Whether the budget is spent or a stop was requested. */
    private boolean finished() {
        return run.budgetSpent() || loop.stopRequested();
    }

    /** Takes one optimizer step over a group of micro-batches, tells the listeners, closes them. */
    private void stepAndNotify(List<Batch> group, int index) {
        try {
            boolean updated = step(group);
            run.state().batchInEpoch = index;
            if (updated) {
                TrainingListener.BatchData data =
                        new TrainingListener.BatchData(
                                group.get(group.size() - 1), Map.of(), Map.of());
                trainer.notifyListeners(l -> l.onTrainingBatch(trainer, data));
            }
        } finally {
            closeAll(group);
        }
    }

    private static void closeAll(List<Batch> group) {
        for (Batch batch : group) {
            batch.close();
        }
        group.clear();
    }

    /**
     * Takes one optimizer step over one or more micro-batches ({@link
     * TrainingSettings#getUpdateFreq()}), each split across the devices. Each split's loss is its
     * SUM-reduced loss divided by the target tokens of all the micro-batches, so the gradients
     * accumulated over the micro-batches and summed over the devices are those of the mean loss per
     * target token of their concatenation, and the summed losses are that mean. Each micro-batch
     * but the last is closed once its gradients are in (and removed from the list), so a step holds
     * the activations of one. The loss and the global norm of the accumulated gradients are checked
     * before the update: when either is NaN or infinite, the gradients are zeroed and neither the
     * parameters nor Adam's moments change; the step is skipped while {@link
     * TrainingSettings#getMaxSkippedBatches()} allows, else training stops.
     *
     * @param microBatches the batches of this step, in order; only the last is left in it
     * @return whether the parameters were updated (false: the step was skipped)
     * @throws TrainingDivergedException if the loss or gradient norm is NaN or infinite and no more
     *     batches may be skipped
     */
    private boolean step(List<Batch> microBatches) {
        TrainingState state = run.state();
        int step = state.step + 1;
        Engine.getInstance().setRandomSeed(loop.seedFor(step));
        long tokens = 0;
        for (Batch batch : microBatches) {
            tokens += summed.countTargets(batch.getLabels().head()).getLong();
        }
        long divisor = Math.max(1, tokens);
        float value = 0;
        int last = microBatches.size() - 1;
        for (int i = 0; i <= last; i++) {
            value += accumulate(microBatches.get(i), divisor);
            if (i < last) {
                microBatches.get(i).close(); // its activations are no longer needed
            }
        }
        microBatches.subList(0, last).clear(); // closed; the last one is the listeners'

        double norm = gradientNorm();
        if (!Float.isFinite(value) || !Double.isFinite(norm)) {
            try (NDManager scope = trainer.getManager().newSubManager()) {
                copies.zeroGradients(scope);
            }
            skipOrStop(step, value, norm);
            return false;
        }
        adam.setGradientScale(GradientClipping.scale(norm, loop.settings.getClipNorm()));
        if (budgetSchedule != null) {
            budgetSchedule.setProgress(run.budgetSpentFraction(step - 1));
        }
        trainer.step();
        if (adam.getStep() != step) {
            throw new IllegalStateException(
                    "The optimizer applied update " + adam.getStep() + " at step " + step);
        }
        run.stepDone(value, tokens);
        return true;
    }

    /**
     * Adds one micro-batch's gradients, split across the devices, to those already accumulated.
     *
     * @param batch the micro-batch
     * @param divisor the target tokens of the whole step
     * @return its SUM-reduced loss divided by {@code divisor}
     */
    private float accumulate(Batch batch, long divisor) {
        NDArray lossSum = null;
        Batch[] splits = batch.split(trainer.getDevices(), false);
        try (GradientCollector collector = trainer.newGradientCollector()) {
            for (Batch split : splits) {
                NDList predictions = trainer.forward(split.getData(), split.getLabels());
                NDArray value = summed.evaluate(split.getLabels(), predictions).div(divisor);
                collector.backward(value);
                lossSum =
                        lossSum == null
                                ? value
                                : lossSum.add(value.toDevice(lossSum.getDevice(), false));
            }
        }
        return lossSum.getFloat();
    }

    /** Counts and logs a skipped batch, or throws when no more may be skipped. */
    private void skipOrStop(int step, float value, double norm) {
        TrainingState state = run.state();
        String what = "loss " + value + ", gradient norm " + norm + " at step " + step;
        int allowed = loop.settings.getMaxSkippedBatches();
        if (state.skippedBatches >= allowed) {
            throw new TrainingDivergedException(
                    "Training diverged: "
                            + what
                            + (allowed > 0 ? " after " + allowed + " skipped batches" : "")
                            + ". Training stopped; the parameters and Adam moments in memory are"
                            + " those after step "
                            + (step - 1)
                            + ". Last good checkpoint: "
                            + (run.lastCheckpoint() == null ? "none" : run.lastCheckpoint())
                            + ". Try a lower --lr or more warmup.");
        }
        state.skippedBatches++;
        loop.log.accept(
                "Skipped a batch: "
                        + what
                        + "; parameters unchanged ("
                        + state.skippedBatches
                        + " of at most "
                        + allowed
                        + " skipped)");
    }

    /**
     * Returns the global L2 norm of this step's gradients summed over the devices, as the parameter
     * server will sum them before the update.
     */
    private double gradientNorm() {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            return GradientClipping.norm(copies.summedGradients(scope));
        }
    }

    /** Validates and tells the listeners; its time is not charged to the training budget. */
    private void validate() throws IOException, TranslateException {
        run.pauseClock();
        try {
            TrainingState state = run.state();
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("step", state.step);
            event.put("epoch", state.epoch);
            if (loop.devData != null) {
                double devLoss = devLoss();
                event.put("devLoss", devLoss);
                event.put("devPpl", Math.exp(devLoss));
            }
            if (loop.evaluator != null) {
                event.putAll(loop.evaluator.evaluate(trainer.getModel()));
            }
            run.setValidation(event);
            trainer.notifyListeners(l -> l.onEpoch(trainer));
        } finally {
            run.resumeClock();
        }
    }

    /** Validation cross-entropy per target token, without label smoothing. */
    private double devLoss() throws IOException, TranslateException {
        PaddedCrossEntropyLoss plain =
                PaddedCrossEntropyLoss.builder()
                        .optReduction(PaddedCrossEntropyLoss.Reduction.SUM)
                        .build();
        double sum = 0;
        long tokens = 0;
        for (Batch batch : trainer.iterateDataset(loop.devData)) {
            try (batch) {
                NDList predictions = trainer.evaluate(batch.getData());
                sum += plain.evaluate(batch.getLabels(), predictions).getFloat();
                tokens += plain.countTargets(batch.getLabels().head()).getLong();
            }
        }
        return sum / Math.max(1, tokens);
    }
}
