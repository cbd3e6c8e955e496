package io.github.djlseq2seq.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import io.github.djlseq2seq.data.EpochAware;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Teacher-forcing training of a seq2seq model on DJL's {@link Trainer} (the specification,
 * docs/SPEC.md §3–§5).
 *
 * <p>Each step: forward all target positions in one pass, padded cross-entropy with label
 * smoothing, backward, check that the loss and the global gradient norm are finite (else skip the
 * batch or stop, leaving parameters and Adam moments untouched), clip the global gradient norm,
 * Adam with warmup and inverse-square-root decay. Every step reseeds the engine's random generator
 * from (seed, step), so dropout depends only on the step: together with the checkpointed
 * parameters, Adam moments and data position, a resumed run continues exactly as an uninterrupted
 * one.
 *
 * <p>Batches must hold data {@code NDList(sourceIds [B,S], decoderInputIds [B,T])} and labels
 * {@code NDList(Y_out [B,T])}. Writes into the output directory: {@code checkpoints/}, {@code
 * metrics.jsonl}.
 *
 * <p>{@link #requestStop} (from any thread, e.g. a signal handler) ends a run early and cleanly:
 * the step in progress finishes, a checkpoint is written at that step, and {@link #run} returns
 * without validating; {@code run(true)} later continues from the step after it.
 */
public final class TrainingLoop {

    final Dataset trainData;
    final Dataset devData;
    final TrainingSettings settings;
    final IntConsumer beforeEpoch;
    final EpochEvaluator evaluator;
    private final Model model;
    private final Path outputDir;
    private final Shape[] inputShapes;
    private final Device[] devices;
    final Consumer<String> log;
    private final String selectBy;
    private final boolean higherIsBetter;
    private final boolean progressBar;
    private final AtomicBoolean stop;

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
        selectBy = b.selectBy;
        higherIsBetter = b.higherIsBetter;
        progressBar = b.progressBar;
        stop = b.stop;
    }

    /**
     * Asks a running (or not yet started) {@link #run} to stop after the step in progress, with a
     * checkpoint at that step. Thread-safe; may be called any number of times.
     */
    public void requestStop() {
        stop.set(true);
    }

    /**
     * Returns whether a stop was requested: after {@link #run}, whether it was interrupted (every
     * completed step is then in the latest checkpoint).
     *
     * @return true once {@link #requestStop} was called
     */
    public boolean isStopRequested() {
        return stop.get();
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
     * <p>Logging, the metrics log, the progress bar and checkpoints are DJL {@link
     * ai.djl.training.listener.TrainingListener}s of the run's {@link Trainer}. Before each epoch,
     * training data that is {@link EpochAware} (a {@code ParallelTextDataset} with a {@code
     * BucketingSampler}) is told the epoch, so a resumed run serves the same batches as an
     * uninterrupted one.
     *
     * <p>When a stop is {@linkplain #requestStop requested}, the step in progress finishes, a
     * checkpoint is written at it (unless one already is) and the run returns without validating.
     *
     * @param resume whether to continue from the latest checkpoint in the output directory
     * @return the final state
     * @throws IOException if checkpoints or metrics cannot be written
     * @throws TranslateException if batching fails
     * @throws TrainingDivergedException if the loss or gradient norm becomes NaN or infinite
     *     (beyond {@link TrainingSettings#getMaxSkippedBatches()})
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
                        .optLabelSmoothing(settings.getLabelSmoothing())
                        .build();
        Checkpoints checkpoints =
                new Checkpoints(outputDir.resolve("checkpoints"), settings.getKeepCheckpoints());
        TrainingState state = new TrainingState();
        Optional<Path> latest = resume ? checkpoints.latest() : Optional.empty();
        if (latest.isPresent()) {
            // before Trainer.initialize(): the trainer's parameter store caches the arrays it sees
            state = Checkpoints.load(latest.get(), model, adam);
            log.accept("Resumed from " + latest.get() + " at step " + state.step);
        }
        if (resume) { // once the checkpoint loaded: a failed resume leaves the directory as it was
            checkpoints.deleteIncomplete(); // left by a process killed while writing one
        }
        RunProgress run = new RunProgress(state, settings);
        latest.ifPresent(run::setLastCheckpoint);
        CheckpointListener checkpointer =
                new CheckpointListener(run, checkpoints, adam, selectBy, higherIsBetter);
        try (MetricsLog metrics = new MetricsLog(outputDir.resolve("metrics.jsonl"), state.step)) {
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(loss)
                            .optOptimizer(adam)
                            .addTrainingListeners(
                                    new MetricsLogListener(run, metrics, log, adam), checkpointer);
            if (progressBar && ProgressBarListener.applies(settings)) {
                config.addTrainingListeners(new ProgressBarListener(run));
            }
            if (devices != null) {
                config.optDevices(devices);
            }
            try (Trainer trainer = model.newTrainer(config)) {
                Engine.getInstance().setRandomSeed(seedFor(0));
                trainer.initialize(inputShapes);
                SingleCopyParameterServer.install(trainer, adam);
                new TrainingSteps(this, trainer, adam, budgetSchedule, loss, run).epochs();
                if (stop.get()) {
                    checkpointer.saveUnlessSaved(trainer);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause(); // from a listener
        }
        return state;
    }

    /**
     * Returns the engine seed of a step: dropout depends only on (seed, step).
     *
     * @param step the step, 0 for the initialisation
     * @return the seed
     */
    int seedFor(long step) {
        return (int) (settings.getSeed() * 1_000_003L + step);
    }

    /** Whether {@link #requestStop} was called: the steps check it after each step. */
    boolean stopRequested() {
        return stop.get();
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
        private String selectBy = "devLoss";
        private boolean higherIsBetter;
        private boolean progressBar;
        private AtomicBoolean stop = new AtomicBoolean();

        Builder() {}

        /**
         * Shares a stop flag with the caller (a {@link Seq2SeqTraining}): setting it is {@link
         * TrainingLoop#requestStop}.
         *
         * @param flag the flag
         * @return this builder
         */
        Builder optStopFlag(AtomicBoolean flag) {
            this.stop = flag;
            return this;
        }

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
         * Sets the devices (default: DJL's {@code Engine} choice, every GPU it finds or else the
         * CPU). Several devices follow DJL's {@code ParameterServer} contract, tested without a GPU
         * only (docs/training.md).
         *
         * @param devices the devices
         * @return this builder
         */
        public Builder optDevices(Device... devices) {
            this.devices = devices;
            return this;
        }

        /**
         * Runs a hook before each epoch (default none). An {@link EpochAware} training dataset
         * needs none: the loop sets its epoch itself.
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
