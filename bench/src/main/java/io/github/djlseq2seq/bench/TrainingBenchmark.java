package io.github.djlseq2seq.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.train.InverseSqrtSchedule;
import io.github.djlseq2seq.train.PaddedCrossEntropyLoss;
import io.github.djlseq2seq.train.ResumableAdam;
import io.github.djlseq2seq.train.SingleCopyParameterServer;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Times the training step of base-cpu on random ids without padding.
 *
 * <p>A step is what {@code TrainingLoop} does for one batch, through DJL's {@link Trainer}: reseed
 * the engine (dropout), forward, {@link PaddedCrossEntropyLoss}, backward, {@link ResumableAdam}
 * step (β 0.9/0.98, ε 1e-9, {@link InverseSqrtSchedule} with its defaults: peak 7e-4, warmup 4000),
 * and read the loss back to the host. Optionally ({@code --clip}) the global gradient norm is
 * computed and clipped as well. Each step's arrays live in a sub-manager closed at its end, as a
 * batch's arrays do in the loop.
 *
 * <p>Run: {@code bench training [flags]} ({@link BenchCommand}).
 */
public final class TrainingBenchmark {

    private static final int FIRST_ID = 4; // after PAD, UNK, START, END
    private static final int BATCH_POOL = 8;

    private final BenchSettings settings;
    private final Consumer<String> log;

    /**
     * Creates a benchmark.
     *
     * @param settings what to run
     * @param log receives progress lines
     */
    public TrainingBenchmark(BenchSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * Builds base-cpu, trains it for {@link BenchSettings#totalSteps()} steps and measures.
     *
     * @return the figures
     */
    public TrainingFigures run() {
        TransformerConfig config = settings.modelConfig();
        int b = settings.getBatch();
        int s = settings.getSourceLength();
        int t = settings.getTargetLength();
        ResumableAdam adam =
                ResumableAdam.builder()
                        .optLearningRateTracker(InverseSqrtSchedule.builder().build())
                        .build();
        PaddedCrossEntropyLoss loss = PaddedCrossEntropyLoss.builder().build();
        DefaultTrainingConfig trainingConfig =
                new DefaultTrainingConfig(loss)
                        .optOptimizer(adam)
                        .optDevices(new Device[] {Device.cpu()});
        int[][][][] pool = randomBatches(config, new Random(7));
        double[] seconds = new double[settings.getTimedSteps()];
        float firstLoss = Float.NaN;
        float lastLoss = Float.NaN;
        long rssFirst = -1;
        long rssLast = -1;
        long heapFirst = -1;
        long heapLast = -1;
        CpuShare others = null;
        double othersPercent = Double.NaN;
        try (Model model = Model.newInstance("bench-base-cpu")) {
            Seq2SeqTransformer block =
                    Seq2SeqTransformer.builder()
                            .setConfig(config)
                            .optPrecision(settings.getPrecision())
                            .build();
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(trainingConfig)) {
                Engine.getInstance().setRandomSeed(42);
                trainer.initialize(new Shape(b, s), new Shape(b, t));
                SingleCopyParameterServer.install(trainer, adam); // as TrainingLoop does
                long parameters = block.countParameters();
                int total = settings.totalSteps();
                for (int step = 1; step <= total; step++) {
                    if (step == settings.getWarmupSteps() + 1) {
                        others = CpuShare.start();
                    }
                    long start = System.nanoTime();
                    float value = step(trainer, adam, loss, pool[step % BATCH_POOL], step);
                    double elapsed = (System.nanoTime() - start) / 1e9;
                    int timed = step - settings.getWarmupSteps() - 1;
                    if (timed >= 0 && timed < seconds.length) {
                        seconds[timed] = elapsed;
                        if (timed == seconds.length - 1) {
                            othersPercent = others.othersPercent();
                        }
                    }
                    firstLoss = step == 1 ? value : firstLoss;
                    lastLoss = value;
                    if (step == BenchSettings.FIRST_MEMORY_STEP) {
                        rssFirst = ResidentMemory.kib();
                        heapFirst = ResidentMemory.heapCommittedKib();
                    } else if (step == settings.getMemorySteps()) {
                        rssLast = ResidentMemory.kib();
                        heapLast = ResidentMemory.heapCommittedKib();
                    }
                    if (step % 100 == 0 || step == settings.getWarmupSteps()) {
                        log.accept(
                                String.format(
                                        "  step %d/%d  loss %.3f  %.1f ms  rss %d MiB  (Java"
                                                + " heap %d MiB committed, %d live NDArrays)",
                                        step,
                                        total,
                                        value,
                                        elapsed * 1e3,
                                        ResidentMemory.kib() >> 10,
                                        ResidentMemory.heapCommittedKib() >> 10,
                                        model.getNDManager().getManagedArrays().size()));
                    }
                }
                if (settings.getProfile() != null) {
                    profile(trainer, adam, loss, pool, total);
                }
                return new TrainingFigures(
                        settings,
                        parameters,
                        Samples.median(seconds),
                        TrainingFlops.trainingStep(config, b, s, t),
                        firstLoss,
                        lastLoss,
                        rssFirst,
                        rssLast,
                        heapFirst,
                        heapLast,
                        othersPercent);
            }
        }
    }

    /** Records a few more steps with libtorch's profiler and writes its Chrome trace. */
    private void profile(
            Trainer trainer,
            ResumableAdam adam,
            PaddedCrossEntropyLoss loss,
            int[][][][] pool,
            int done) {
        JniUtils.startProfile(false, true, false);
        for (int i = 1; i <= BenchSettings.PROFILED_STEPS; i++) {
            step(trainer, adam, loss, pool[(done + i) % BATCH_POOL], done + i);
        }
        JniUtils.stopProfile(settings.getProfile().toAbsolutePath().toString());
        log.accept(
                String.format(
                        "  profile of %d steps: %s  (summary: python3 bench/profile_summary.py %s)",
                        BenchSettings.PROFILED_STEPS,
                        settings.getProfile(),
                        settings.getProfile()));
    }

    /** One training step, as TrainingLoop's; returns the loss. */
    private float step(
            Trainer trainer,
            ResumableAdam adam,
            PaddedCrossEntropyLoss loss,
            int[][][] ids,
            int step) {
        Engine.getInstance().setRandomSeed(42 + step);
        try (NDManager scope = trainer.getManager().newSubManager()) {
            NDList data = new NDList(scope.create(ids[0]), scope.create(ids[1]));
            NDList labels = new NDList(scope.create(ids[2]));
            NDArray value;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(data, labels);
                value = loss.evaluate(labels, predictions);
                collector.backward(value);
            }
            if (settings.isClip()) {
                adam.setGradientScale(clipScale(trainer, scope, 1f));
            }
            trainer.step(); // the optimizer counts the steps itself
            return value.getFloat();
        }
    }

    /** TrainingLoop's global-norm clipping factor. */
    private static float clipScale(Trainer trainer, NDManager scope, float clipNorm) {
        NDArray sum = null;
        for (Parameter p : trainer.getModel().getBlock().getParameters().values()) {
            if (p.requiresGradient()) {
                NDArray g = p.getArray().getGradient();
                g.attach(scope);
                NDArray square = g.square().sum();
                sum = sum == null ? square : sum.add(square);
            }
        }
        double norm = Math.sqrt(sum.getFloat());
        return (float) Math.min(1.0, clipNorm / (norm + 1e-6));
    }

    /** A few batches of random ids: [batch][source, decoder input, target][row][position]. */
    private int[][][][] randomBatches(TransformerConfig config, Random random) {
        int[][][][] pool = new int[BATCH_POOL][][][];
        for (int i = 0; i < BATCH_POOL; i++) {
            pool[i] =
                    new int[][][] {
                        ids(random, settings.getSourceLength(), config.sourceVocabSize()),
                        ids(random, settings.getTargetLength(), config.targetVocabSize()),
                        ids(random, settings.getTargetLength(), config.targetVocabSize())
                    };
        }
        return pool;
    }

    private int[][] ids(Random random, int length, int vocab) {
        int[][] rows = new int[settings.getBatch()][length];
        for (int[] row : rows) {
            for (int i = 0; i < length; i++) {
                row[i] = FIRST_ID + random.nextInt(vocab - FIRST_ID);
            }
        }
        return rows;
    }
}
