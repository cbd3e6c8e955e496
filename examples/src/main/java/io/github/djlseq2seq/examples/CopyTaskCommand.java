package io.github.djlseq2seq.examples;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.ArrayDataset;
import io.github.djlseq2seq.data.CopyTaskDataset;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.inference.GreedyDecoder;
import io.github.djlseq2seq.inference.Hypothesis;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.precision.Bf16Support;
import io.github.djlseq2seq.precision.Precision;
import io.github.djlseq2seq.train.TrainingLoop;
import io.github.djlseq2seq.train.TrainingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Annotated Transformer's first end-to-end check: learn to copy random symbol sequences, then
 * measure exact-match accuracy of greedy decoding on held-out sequences.
 */
@Command(
        name = "copy-task",
        mixinStandardHelpOptions = true,
        description =
                "Train a small Transformer to copy random sequences; print greedy exact match.")
public final class CopyTaskCommand implements Callable<Integer> {

    @Option(names = "--symbols", description = "distinct symbols (default: ${DEFAULT-VALUE})")
    int symbols = 10;

    @Option(names = "--length", description = "symbols per sequence (default: ${DEFAULT-VALUE})")
    int length = 10;

    @Option(names = "--train-size", description = "training sequences (default: ${DEFAULT-VALUE})")
    int trainSize = 6400;

    @Option(names = "--test-size", description = "held-out sequences (default: ${DEFAULT-VALUE})")
    int testSize = 500;

    @Option(names = "--batch", description = "sequences per batch (default: ${DEFAULT-VALUE})")
    int batch = 64;

    @Option(names = "--steps", description = "optimizer steps (default: ${DEFAULT-VALUE})")
    int steps = 2000;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--out", description = "output directory (default: a temporary one)")
    Path out;

    @Option(
            names = "--precision",
            converter = PrecisionConverter.class,
            description = PrecisionConverter.HELP + " (default: ${DEFAULT-VALUE})")
    Precision precision = Precision.FP32;

    @Option(
            names = "--max-skipped-batches",
            description =
                    "batches with a non-finite loss or gradient skipped (parameters untouched)"
                            + " before training stops, as train's flag (default: ${DEFAULT-VALUE})")
    int maxSkippedBatches = 10;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        double accuracy = run();
        System.out.printf(
                "exact match (greedy) on %d held-out sequences: %.2f%%%n",
                testSize, 100 * accuracy);
        return 0;
    }

    /**
     * Trains and evaluates.
     *
     * @return the fraction of held-out sequences copied exactly
     * @throws Exception if training fails
     */
    public double run() throws Exception {
        if (symbols < 1 || length < 1 || trainSize < batch || testSize < 1 || steps < 1) {
            throw new IllegalArgumentException(
                    "copy-task needs positive --symbols, --length, --test-size, --steps and"
                            + " --train-size ≥ --batch");
        }
        int vocab = SpecialTokens.ALL.size() + symbols;
        TransformerConfig config =
                TransformerConfig.builder()
                        .setSourceVocabSize(vocab)
                        .setTargetVocabSize(vocab)
                        .optModelDim(64)
                        .optNumHeads(4)
                        .optEncoderLayers(2)
                        .optDecoderLayers(2)
                        .optFeedForwardDim(256)
                        .optDropout(0f)
                        .optMaxLength(length + 2)
                        .build();
        Path dir = out != null ? out : Files.createTempDirectory("copy-task");
        try (Model model = Model.newInstance("copy-task", Device.cpu());
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            model.setBlock(
                    Seq2SeqTransformer.builder()
                            .setConfig(config)
                            .optPrecision(Bf16Support.system().resolve(precision, Device.cpu()))
                            .build());
            int[][] train = CopyTaskDataset.sequences(trainSize, length, vocab, seed);
            ArrayDataset data = CopyTaskDataset.build(manager, train, batch);
            TrainingSettings settings =
                    TrainingSettings.builder()
                            .optMaxSteps(steps)
                            .optWarmupSteps(Math.max(1, steps / 8))
                            .optPeakLearningRate(2e-3f)
                            .optLabelSmoothing(0f)
                            .optLogEvery(Math.max(1, steps / 10))
                            .optSeed(seed)
                            .optMaxSkippedBatches(maxSkippedBatches)
                            .build();
            TrainingLoop.builder()
                    .setModel(model)
                    .setTrainData(data)
                    .setOutputDir(dir)
                    .setInputShapes(new Shape(1, length + 2), new Shape(1, length + 1))
                    .optDevices(Device.cpu())
                    .optSettings(settings)
                    .build()
                    .run(false);
            return exactMatch(
                    model, manager, CopyTaskDataset.sequences(testSize, length, vocab, seed + 1));
        }
    }

    private static double exactMatch(Model model, NDManager manager, int[][] test) {
        Seq2SeqTransformer block = (Seq2SeqTransformer) model.getBlock();
        GreedyDecoder decoder = new GreedyDecoder(block, DecodingOptions.builder().build());
        int correct = 0;
        try (NDManager scope = manager.newSubManager()) {
            int[][] source = new int[test.length][];
            for (int i = 0; i < test.length; i++) {
                source[i] = new int[test[i].length + 2];
                source[i][0] = SpecialTokens.START_ID;
                System.arraycopy(test[i], 0, source[i], 1, test[i].length);
                source[i][test[i].length + 1] = SpecialTokens.END_ID;
            }
            NDArray ids = scope.create(source);
            List<Hypothesis> out = decoder.decode(new ParameterStore(scope, false), ids);
            for (int i = 0; i < test.length; i++) {
                if (Arrays.equals(out.get(i).getTokens(), test[i])) {
                    correct++;
                }
            }
        }
        return correct / (double) test.length;
    }
}
