package io.github.djlseq2seq.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
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

    /**
     * Prepares the run.
     *
     * @param loop what to train on and how
     * @param trainer the initialised trainer, with the listeners
     * @param adam its optimizer
     * @param budgetSchedule the learning-rate schedule if it decays to the budget, else null
     * @param loss its training loss
     * @param run the state of the run
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
            for (Batch batch : trainer.iterateDataset(trainData)) {
                try (batch) {
                    if (index++ < skip) {
                        continue;
                    }
                    if (finished()) { // a resumed run whose budget is spent, or a stop request
                        stop = true;
                        break;
                    }
                    step(batch);
                    state.batchInEpoch = index;
                    TrainingListener.BatchData data =
                            new TrainingListener.BatchData(batch, Map.of(), Map.of());
                    trainer.notifyListeners(l -> l.onTrainingBatch(trainer, data));
                }
                if (finished()) {
                    stop = true;
                    break;
                }
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

    private void step(Batch batch) {
        int step = run.state().step + 1;
        Engine.getInstance().setRandomSeed(loop.seedFor(step));
        NDArray lossSum = null;
        NDArray tokens = null;
        Batch[] splits = batch.split(trainer.getDevices(), false);
        try (GradientCollector collector = trainer.newGradientCollector()) {
            for (Batch split : splits) {
                NDList predictions = trainer.forward(split.getData(), split.getLabels());
                NDArray value = loss.evaluate(split.getLabels(), predictions);
                collector.backward(value);
                lossSum =
                        lossSum == null
                                ? value
                                : lossSum.add(value.toDevice(lossSum.getDevice(), false));
                NDArray count = loss.countTargets(split.getLabels().head());
                tokens =
                        tokens == null
                                ? count
                                : tokens.add(count.toDevice(tokens.getDevice(), false));
            }
        }
        adam.setGradientScale(clipScale());
        adam.setStep(step);
        if (budgetSchedule != null) {
            budgetSchedule.setProgress(run.budgetSpentFraction(step - 1));
        }
        trainer.step();
        float value = lossSum.getFloat() / splits.length;
        if (!Float.isFinite(value)) {
            throw new TrainingDivergedException(
                    "Loss became "
                            + value
                            + " at step "
                            + step
                            + "; training stopped. Last good checkpoint: "
                            + (run.lastCheckpoint() == null ? "none" : run.lastCheckpoint())
                            + ". Try a lower --lr or more warmup.");
        }
        run.stepDone(value, tokens.getLong());
    }

    /** The factor that brings the global gradient norm down to the clip limit, or 1. */
    private float clipScale() {
        float clipNorm = loop.settings.getClipNorm();
        if (clipNorm <= 0) {
            return 1f;
        }
        try (NDManager scope = trainer.getManager().newSubManager()) {
            List<NDArray> gradients = new ArrayList<>();
            for (Parameter p : trainer.getModel().getBlock().getParameters().values()) {
                if (p.requiresGradient()) {
                    NDArray g = p.getArray().getGradient();
                    g.attach(scope);
                    gradients.add(g);
                }
            }
            return GradientClipping.scale(gradients, clipNorm);
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
