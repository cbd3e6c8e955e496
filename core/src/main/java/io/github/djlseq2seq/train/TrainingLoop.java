package io.github.djlseq2seq.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.util.ProgressBar;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Teacher-forcing training of a seq2seq model on DJL's {@link Trainer} (the specification,
 * docs/SPEC.md §3–§5).
 *
 * <p>Each step: forward all target positions in one pass, padded cross-entropy with label
 * smoothing, backward, clip the global gradient norm, Adam with warmup and inverse-square-root
 * decay. Every step reseeds the engine's random generator from (seed, step), so dropout depends
 * only on the step: together with the checkpointed parameters, Adam moments and data position, a
 * resumed run continues exactly as an uninterrupted one.
 *
 * <p>Batches must hold data {@code NDList(sourceIds [B,S], decoderInputIds [B,T])} and labels
 * {@code NDList(Y_out [B,T])}. Writes into the output directory: {@code checkpoints/}, {@code
 * metrics.jsonl}.
 */
public final class TrainingLoop {

    private final Model model;
    private final Dataset trainData;
    private final Dataset devData;
    private final TrainingSettings settings;
    private final Path outputDir;
    private final Shape[] inputShapes;
    private final Device[] devices;
    private final IntConsumer beforeEpoch;
    private final EpochEvaluator evaluator;
    private final Consumer<String> log;
    private final int padId;
    private final String selectBy;
    private final boolean higherIsBetter;
    private final boolean progressBar;

    private TrainingLoop(Builder b) {
        model = b.model;
        trainData = b.trainData;
        devData = b.devData;
        settings = b.settings;
        outputDir = b.outputDir;
        inputShapes = b.inputShapes;
        devices = b.devices;
        beforeEpoch = b.beforeEpoch;
        evaluator = b.evaluator;
        log = b.log;
        padId = b.padId;
        selectBy = b.selectBy;
        higherIsBetter = b.higherIsBetter;
        progressBar = b.progressBar;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Extra validation run at each epoch end (e.g. dev BLEU), after the validation loss. */
    @FunctionalInterface
    public interface EpochEvaluator {
        /**
         * Evaluates the model in its current state.
         *
         * @param model the model being trained
         * @return named scores, written to the metrics log
         * @throws TranslateException if decoding fails
         */
        Map<String, Double> evaluate(Model model) throws TranslateException;
    }

    /**
     * Trains until the step, time or epoch budget is spent. The time budget counts training time:
     * validation and evaluation at epoch ends are not charged to it.
     *
     * @param resume whether to continue from the latest checkpoint in the output directory
     * @return the final state
     * @throws IOException if checkpoints or metrics cannot be written
     * @throws TranslateException if batching fails
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     */
    public TrainingState run(boolean resume) throws IOException, TranslateException {
        BudgetSchedule budgetSchedule = null;
        Tracker schedule;
        if (settings.getDecay() == TrainingSettings.Decay.LINEAR_TO_BUDGET) {
            budgetSchedule =
                    BudgetSchedule.builder()
                            .optPeak(settings.getPeakLearningRate())
                            .optWarmupSteps(settings.getWarmupSteps())
                            .build();
            schedule = budgetSchedule;
        } else {
            schedule =
                    InverseSqrtSchedule.builder()
                            .optPeak(settings.getPeakLearningRate())
                            .optWarmupSteps(settings.getWarmupSteps())
                            .build();
        }
        ResumableAdam adam = ResumableAdam.builder().optLearningRateTracker(schedule).build();
        PaddedCrossEntropyLoss loss =
                PaddedCrossEntropyLoss.builder()
                        .optPadId(padId)
                        .optLabelSmoothing(settings.getLabelSmoothing())
                        .build();
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(adam);
        if (devices != null) {
            config.optDevices(devices);
        }
        Checkpoints checkpoints =
                new Checkpoints(outputDir.resolve("checkpoints"), settings.getKeepCheckpoints());
        try (Trainer trainer = model.newTrainer(config)) {
            TrainingState state = new TrainingState();
            Optional<Path> latest = resume ? checkpoints.latest() : Optional.empty();
            if (latest.isPresent()) {
                // before initialize(): the trainer's parameter store caches the arrays it sees
                state = Checkpoints.load(latest.get(), model, adam);
                log.accept("Resumed from " + latest.get() + " at step " + state.step);
            }
            Engine.getInstance().setRandomSeed(seedFor(0));
            trainer.initialize(inputShapes);
            try (MetricsLog metrics =
                    new MetricsLog(outputDir.resolve("metrics.jsonl"), state.step)) {
                new Run(trainer, adam, budgetSchedule, loss, checkpoints, metrics, state).epochs();
            }
            return state;
        }
    }

    private int seedFor(long step) {
        return (int) (settings.getSeed() * 1_000_003L + step);
    }

    /** The mutable part of one run. */
    private final class Run {
        private final Trainer trainer;
        private final ResumableAdam adam;
        private final BudgetSchedule budgetSchedule;
        private final PaddedCrossEntropyLoss loss;
        private final Checkpoints checkpoints;
        private final MetricsLog metrics;
        private final TrainingState state;
        private final long startNanos = System.nanoTime();
        private long validationNanos;
        private final double elapsedBefore;
        private double windowLoss;
        private double lastLoss = Double.NaN;
        private long windowTokens;
        private int windowSteps;
        private long windowStart = System.nanoTime();
        private Path lastCheckpoint;
        private final ProgressBar progress;

        Run(
                Trainer trainer,
                ResumableAdam adam,
                BudgetSchedule budgetSchedule,
                PaddedCrossEntropyLoss loss,
                Checkpoints checkpoints,
                MetricsLog metrics,
                TrainingState state) {
            this.trainer = trainer;
            this.adam = adam;
            this.budgetSchedule = budgetSchedule;
            this.loss = loss;
            this.checkpoints = checkpoints;
            this.metrics = metrics;
            this.state = state;
            this.elapsedBefore = state.elapsedSeconds;
            this.progress = newProgressBar();
        }

        /** DJL's progress bar over steps (if bounded) or else seconds (if bounded), or null. */
        private ProgressBar newProgressBar() {
            if (!progressBar) {
                return null;
            }
            if (settings.getMaxSteps() > 0) {
                return new ProgressBar("Training", settings.getMaxSteps());
            }
            if (settings.getMaxMinutes() > 0) {
                return new ProgressBar("Training", (long) (settings.getMaxMinutes() * 60));
            }
            return null;
        }

        private void showProgress() {
            if (progress != null) {
                long done = settings.getMaxSteps() > 0 ? state.step : (long) elapsed();
                progress.update(done, String.format("loss %.3f", lastLoss));
            }
        }

        void epochs() throws IOException, TranslateException {
            boolean stop = false;
            while (!stop && state.epoch < settings.getMaxEpochs()) {
                beforeEpoch.accept(state.epoch);
                int skip = state.batchInEpoch;
                int index = 0;
                for (Batch batch : trainer.iterateDataset(trainData)) {
                    try (batch) {
                        if (index++ < skip) {
                            continue;
                        }
                        step(batch);
                        state.batchInEpoch = index;
                    }
                    if (budgetSpent()) {
                        stop = true;
                        break;
                    }
                    if (settings.getCheckpointEvery() > 0
                            && state.step % settings.getCheckpointEvery() == 0) {
                        save();
                    }
                }
                if (!stop) {
                    state.epoch++;
                    state.batchInEpoch = 0;
                }
                validate();
            }
        }

        private void step(Batch batch) throws IOException {
            int step = state.step + 1;
            Engine.getInstance().setRandomSeed(seedFor(step));
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
                budgetSchedule.setProgress(budgetSpentFraction(step - 1));
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
                                + (lastCheckpoint == null ? "none" : lastCheckpoint)
                                + ". Try a lower --lr or more warmup.");
            }
            state.step = step;
            lastLoss = value;
            showProgress();
            long count = tokens.getLong();
            state.targetTokens += count;
            windowLoss += value;
            windowTokens += count;
            windowSteps++;
            if (step % settings.getLogEvery() == 0) {
                logWindow();
            }
        }

        /** The factor that brings the global gradient norm down to the clip limit, or 1. */
        private float clipScale() {
            if (settings.getClipNorm() <= 0) {
                return 1f;
            }
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray sum = null;
                for (Parameter p : model.getBlock().getParameters().values()) {
                    if (!p.requiresGradient()) {
                        continue;
                    }
                    NDArray g = p.getArray().getGradient();
                    g.attach(scope);
                    NDArray s = g.square().sum();
                    sum = sum == null ? s : sum.add(s);
                }
                double norm = Math.sqrt(sum.getFloat());
                return (float) Math.min(1.0, settings.getClipNorm() / (norm + 1e-6));
            }
        }

        private void logWindow() throws IOException {
            double seconds = (System.nanoTime() - windowStart) / 1e9;
            double meanLoss = windowLoss / windowSteps;
            double tokensPerSecond = windowTokens / seconds;
            float lr = adam.learningRateAt(state.step);
            log.accept(
                    String.format(
                            "step %6d  epoch %3d  loss %.4f  ppl %9.2f  %7.0f tgt tok/s  lr %.2e  %5.1f min",
                            state.step,
                            state.epoch,
                            meanLoss,
                            Math.exp(meanLoss),
                            tokensPerSecond,
                            lr,
                            elapsed() / 60));
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("step", state.step);
            event.put("epoch", state.epoch);
            event.put("loss", meanLoss);
            event.put("ppl", Math.exp(meanLoss));
            event.put("tokensPerSecond", tokensPerSecond);
            event.put("lr", lr);
            event.put("elapsedSeconds", elapsed());
            metrics.write(event);
            windowLoss = 0;
            windowTokens = 0;
            windowSteps = 0;
            windowStart = System.nanoTime();
        }

        /** Validates; its time is not charged to the training budget. */
        private void validate() throws IOException, TranslateException {
            long start = System.nanoTime();
            try {
                validateAndSave();
            } finally {
                long spent = System.nanoTime() - start;
                validationNanos += spent;
                windowStart += spent; // tokens/s counts training time only
            }
        }

        private void validateAndSave() throws IOException, TranslateException {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("step", state.step);
            event.put("epoch", state.epoch);
            if (devData != null) {
                double devLoss = devLoss();
                event.put("devLoss", devLoss);
                event.put("devPpl", Math.exp(devLoss));
            }
            if (evaluator != null) {
                event.putAll(evaluator.evaluate(model));
            }
            log.accept(format(event));
            metrics.write(event);
            Object value = event.get(selectBy);
            double score = value instanceof Number ? ((Number) value).doubleValue() : Double.NaN;
            boolean best =
                    !Double.isNaN(score)
                            && (Double.isNaN(state.bestScore)
                                    || (higherIsBetter
                                            ? score > state.bestScore
                                            : score < state.bestScore));
            if (best) {
                state.bestScore = score;
            }
            Path saved = save();
            if (best) {
                checkpoints.markBest(saved);
            }
        }

        private String format(Map<String, Object> event) {
            StringBuilder sb = new StringBuilder("validation");
            event.forEach(
                    (k, v) ->
                            sb.append("  ")
                                    .append(k)
                                    .append(' ')
                                    .append(
                                            v instanceof Double
                                                    ? String.format("%.4f", (Double) v)
                                                    : String.valueOf(v)));
            return sb.toString();
        }

        /** Validation cross-entropy per target token, without label smoothing. */
        private double devLoss() throws IOException, TranslateException {
            PaddedCrossEntropyLoss plain =
                    PaddedCrossEntropyLoss.builder()
                            .optPadId(padId)
                            .optReduction(PaddedCrossEntropyLoss.Reduction.SUM)
                            .build();
            double sum = 0;
            long tokens = 0;
            for (Batch batch : trainer.iterateDataset(devData)) {
                try (batch) {
                    NDList predictions = trainer.evaluate(batch.getData());
                    sum += plain.evaluate(batch.getLabels(), predictions).getFloat();
                    tokens += plain.countTargets(batch.getLabels().head()).getLong();
                }
            }
            return sum / Math.max(1, tokens);
        }

        private Path save() throws IOException {
            state.elapsedSeconds = elapsed();
            lastCheckpoint = checkpoints.save(model, adam, state);
            return lastCheckpoint;
        }

        /** Training time in seconds, this run's and before a resume; validation excluded. */
        private double elapsed() {
            return elapsedBefore + (System.nanoTime() - startNanos - validationNanos) / 1e9;
        }

        /** The fraction of the step or time budget spent, whichever is further along. */
        private double budgetSpentFraction(int stepsDone) {
            double fraction = 0;
            if (settings.getMaxSteps() > 0) {
                fraction = (double) stepsDone / settings.getMaxSteps();
            }
            if (settings.getMaxMinutes() > 0) {
                fraction = Math.max(fraction, elapsed() / (settings.getMaxMinutes() * 60));
            }
            return fraction;
        }

        private boolean budgetSpent() {
            return budgetSpentFraction(state.step) >= 1;
        }
    }

    /** Builds a {@link TrainingLoop}. */
    public static final class Builder {
        private Model model;
        private Dataset trainData;
        private Dataset devData;
        private TrainingSettings settings = TrainingSettings.builder().build();
        private Path outputDir;
        private Shape[] inputShapes;
        private Device[] devices;
        private IntConsumer beforeEpoch = epoch -> {};
        private EpochEvaluator evaluator;
        private Consumer<String> log = System.out::println;
        private int padId;
        private String selectBy = "devLoss";
        private boolean higherIsBetter;
        private boolean progressBar;

        Builder() {}

        /**
         * Shows DJL's progress bar over the step budget, or else the time budget (default off).
         *
         * @param show whether to show it
         * @return this builder
         */
        public Builder optProgressBar(boolean show) {
            this.progressBar = show;
            return this;
        }

        /**
         * Sets the validation metric that picks the best checkpoint (default "devLoss", lower is
         * better); an evaluator's metric such as "devBleu" can be used.
         *
         * @param metric the metric name
         * @param higherIsBetter whether larger values are better
         * @return this builder
         */
        public Builder optSelectBy(String metric, boolean higherIsBetter) {
            this.selectBy = metric;
            this.higherIsBetter = higherIsBetter;
            return this;
        }

        /**
         * Sets the model; its block is initialised by the trainer.
         *
         * @param model the model
         * @return this builder
         */
        public Builder setModel(Model model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the training data.
         *
         * @param data batches of (source, decoder input) → target
         * @return this builder
         */
        public Builder setTrainData(Dataset data) {
            this.trainData = data;
            return this;
        }

        /**
         * Sets the output directory (checkpoints, metrics, loss curve).
         *
         * @param dir the directory
         * @return this builder
         */
        public Builder setOutputDir(Path dir) {
            this.outputDir = dir;
            return this;
        }

        /**
         * Sets the input shapes used to initialise the block, e.g. {@code (1, 8), (1, 8)}.
         *
         * @param shapes the shapes of source and decoder input
         * @return this builder
         */
        public Builder setInputShapes(Shape... shapes) {
            this.inputShapes = shapes;
            return this;
        }

        /**
         * Sets validation data, scored each epoch (default none).
         *
         * @param data the validation batches
         * @return this builder
         */
        public Builder optDevData(Dataset data) {
            this.devData = data;
            return this;
        }

        /**
         * Sets the training settings (default {@link TrainingSettings.Builder} defaults).
         *
         * @param settings the settings
         * @return this builder
         */
        public Builder optSettings(TrainingSettings settings) {
            this.settings = settings;
            return this;
        }

        /**
         * Sets the devices (default: DJL's {@code Engine} choice, all GPUs or the CPU).
         *
         * @param devices the devices
         * @return this builder
         */
        public Builder optDevices(Device... devices) {
            this.devices = devices;
            return this;
        }

        /**
         * Runs a hook before each epoch, e.g. to reshuffle the sampler for that epoch.
         *
         * @param hook receives the 0-based epoch
         * @return this builder
         */
        public Builder optBeforeEpoch(IntConsumer hook) {
            this.beforeEpoch = hook;
            return this;
        }

        /**
         * Adds an evaluation at each epoch end (e.g. dev BLEU).
         *
         * @param evaluator the evaluation
         * @return this builder
         */
        public Builder optEvaluator(EpochEvaluator evaluator) {
            this.evaluator = evaluator;
            return this;
        }

        /**
         * Sets where log lines go (default standard output).
         *
         * @param log the sink
         * @return this builder
         */
        public Builder optLog(Consumer<String> log) {
            this.log = log;
            return this;
        }

        /**
         * Sets the PAD id (default 0).
         *
         * @param padId the id
         * @return this builder
         */
        public Builder optPadId(int padId) {
            this.padId = padId;
            return this;
        }

        /**
         * Builds the loop.
         *
         * @return the loop
         */
        public TrainingLoop build() {
            if (model == null || trainData == null || outputDir == null || inputShapes == null) {
                throw new IllegalArgumentException(
                        "TrainingLoop needs a model, training data, input shapes and an output"
                                + " directory");
            }
            return new TrainingLoop(this);
        }
    }
}
