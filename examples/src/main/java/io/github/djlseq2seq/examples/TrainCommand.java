package io.github.djlseq2seq.examples;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.data.BucketingSampler;
import io.github.djlseq2seq.data.ParallelTextDataset;
import io.github.djlseq2seq.data.ParallelTsvReader;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.data.TextPair;
import io.github.djlseq2seq.eval.CorpusTranslation;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.train.Checkpoints;
import io.github.djlseq2seq.train.MetricsLog;
import io.github.djlseq2seq.train.TrainingLoop;
import io.github.djlseq2seq.train.TrainingSettings;
import io.github.djlseq2seq.zoo.ModelExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains a translation model on a parallel TSV (by default the bundled Bible English→Spanish
 * corpus), then prints sample translations of dev sentences.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a Transformer on parallel text (default: the bundled Bible en→es corpus).",
            "Writes OUT/tokenizer.json, OUT/checkpoints/, OUT/metrics.jsonl, OUT/loss-curve.png"
                    + " and the final model OUT/model/."
        })
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--train", description = "training TSV(.gz) (default: bundled Bible train)")
    Path train;

    @Option(names = "--dev", description = "validation TSV(.gz) (default: bundled Bible dev)")
    Path dev;

    @Option(names = "--out", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("runs", "bible-en-es");

    @Option(names = "--resume", description = "continue from the latest checkpoint in --out")
    boolean resume;

    @Option(
            names = "--max-minutes",
            description = "training time budget (default: ${DEFAULT-VALUE})")
    double maxMinutes = 10;

    @Option(
            names = "--max-steps",
            description = "optimizer step budget, 0 = none (default: ${DEFAULT-VALUE})")
    int maxSteps;

    @Option(names = "--epochs", description = "most epochs (default: ${DEFAULT-VALUE})")
    int epochs = 1000;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(
            names = "--vocab-size",
            description = "shared BPE vocabulary size (default: ${DEFAULT-VALUE})")
    int vocabSize = 8000;

    @Option(
            names = "--batch-tokens",
            description = "padded tokens per batch (default: ${DEFAULT-VALUE})")
    int batchTokens = 3000;

    @Option(names = "--lr", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    float learningRate = 2e-3f;

    @Option(names = "--warmup", description = "warmup steps (default: ${DEFAULT-VALUE})")
    int warmup = 100;

    @Option(
            names = "--decay",
            description =
                    "learning-rate decay after warmup: ${COMPLETION-CANDIDATES}"
                            + " (default: ${DEFAULT-VALUE})")
    TrainingSettings.Decay decay = TrainingSettings.Decay.INVERSE_SQRT;

    @Option(
            names = "--label-smoothing",
            description = "label smoothing (default: ${DEFAULT-VALUE})")
    float labelSmoothing = 0.1f;

    @Option(
            names = "--clip-norm",
            description = "global gradient-norm limit, 0 = off (default: ${DEFAULT-VALUE})")
    float clipNorm = 1f;

    @Option(
            names = "--log-every",
            description = "steps between log lines (default: ${DEFAULT-VALUE})")
    int logEvery = 50;

    @Option(
            names = "--samples",
            description = "dev sentences translated at the end (default: ${DEFAULT-VALUE})")
    int samples = 5;

    @Option(
            names = "--beam",
            description =
                    "beam size of the final dev translation, and the exported model's default"
                            + " (default: ${DEFAULT-VALUE})")
    int beam = 4;

    @Option(
            names = "--alpha",
            description = "GNMT length penalty α of the final decoding (default: ${DEFAULT-VALUE})")
    float alpha = 2.0f;

    @Option(
            names = "--no-repeat-ngram",
            description =
                    "decoding bans repeated n-grams of this size, 0 = none (default:"
                            + " ${DEFAULT-VALUE})")
    int noRepeatNgram = 3;

    @Mixin ModelOptions modelOptions = ModelOptions.forShortTraining();

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        Path trainFile = train != null ? train : BundledCorpus.train();
        Path devFile = dev != null ? dev : BundledCorpus.dev();
        checkOutputDirectory();
        Files.createDirectories(out);
        TrainingSettings settings =
                TrainingSettings.builder()
                        .optMaxMinutes(maxMinutes)
                        .optMaxSteps(maxSteps)
                        .optMaxEpochs(epochs)
                        .optSeed(seed)
                        .optPeakLearningRate(learningRate)
                        .optWarmupSteps(warmup)
                        .optDecay(decay)
                        .optLabelSmoothing(labelSmoothing)
                        .optClipNorm(clipNorm)
                        .optLogEvery(logEvery)
                        .build();

        Seq2SeqTokenizer tokenizer = tokenizer(trainFile);
        int maxLength = modelOptions.maxLength;
        BucketingSampler sampler =
                BucketingSampler.builder()
                        .setBatchSize(Math.max(1, batchTokens / 4))
                        .setMaxTokens(batchTokens)
                        .optSeed(seed)
                        .build();
        try (ParallelTextDataset trainData =
                        dataset(tokenizer, trainFile, Dataset.Usage.TRAIN, sampler);
                ParallelTextDataset devData =
                        dataset(
                                tokenizer,
                                devFile,
                                Dataset.Usage.VALIDATION,
                                BucketingSampler.builder()
                                        .setBatchSize(64)
                                        .setMaxTokens(batchTokens)
                                        .optShuffle(false)
                                        .build());
                Model model = Model.newInstance("seq2seq")) {
            System.out.printf(
                    "train: %,d pairs (%d over %d tokens skipped); dev: %,d pairs%n",
                    trainData.size(), trainData.getOverLengthCount(), maxLength, devData.size());
            TransformerConfig config =
                    modelOptions.config(tokenizer.size(), tokenizer.size(), true);
            model.setBlock(Seq2SeqTransformer.builder().setConfig(config).build());
            config.save(out.resolve("config.json"));
            System.out.printf(
                    "model: %,d parameters, d=%d, %d heads, %d+%d layers, ff=%d%n",
                    config.parameterCount(),
                    config.modelDim(),
                    config.numHeads(),
                    config.encoderLayers(),
                    config.decoderLayers(),
                    config.feedForwardDim());
            // dev BLEU on every dev pair (a source longer than the model accepts is truncated);
            // the dev loss skips over-length pairs, as training does
            List<TextPair> devPairs = ParallelTsvReader.read(devFile);
            List<String> devSources = devPairs.stream().map(TextPair::source).toList();
            List<String> devRefs = devPairs.stream().map(TextPair::target).toList();
            // checkpoints are compared by greedy dev BLEU (cheap); the final model decodes with
            // beams
            DecodingOptions.Builder decoding =
                    DecodingOptions.builder()
                            .optNoRepeatNgramSize(noRepeatNgram)
                            .optTruncateSource(true);
            Seq2SeqTranslator translator =
                    new Seq2SeqTranslator(tokenizer, tokenizer, decoding.optBeamSize(1).build());
            DecodingOptions finalDecoding =
                    decoding.optBeamSize(beam).optLengthPenalty(alpha).build();
            TrainingLoop.builder()
                    .setModel(model)
                    .setTrainData(trainData)
                    .optDevData(devData)
                    .setOutputDir(out)
                    .setInputShapes(new Shape(1, 8), new Shape(1, 8))
                    .optSettings(settings)
                    .optBeforeEpoch(sampler::setEpoch)
                    .optEvaluator(
                            m -> {
                                try (Predictor<String, String> p = m.newPredictor(translator)) {
                                    CorpusTranslation t =
                                            CorpusTranslation.translate(p, devSources, 64);
                                    return Map.of(
                                            "devBleu", t.bleu(devRefs).getScore(),
                                            "devTranslateSeconds", t.getSeconds());
                                }
                            })
                    .optSelectBy("devBleu", true)
                    .optProgressBar(true)
                    .build()
                    .run(resume);
            plotLossCurve();

            // the final model: the best checkpoint by dev BLEU, as a DJL model-zoo directory
            Checkpoints checkpoints = new Checkpoints(out.resolve("checkpoints"), 1);
            Path best = checkpoints.best().orElse(checkpoints.latest().orElseThrow());
            Checkpoints.readParameters(model, best.resolve("parameters.params"));
            Path modelDir =
                    ModelExporter.export(
                            model, tokenizer, tokenizer, finalDecoding, out.resolve("model"), true);
            try (Predictor<String, String> p =
                    model.newPredictor(
                            new Seq2SeqTranslator(tokenizer, tokenizer, finalDecoding))) {
                CorpusTranslation t = CorpusTranslation.translate(p, devSources, 64);
                System.out.println();
                for (int i = 0; i < Math.min(samples, devSources.size()); i++) {
                    int k = i * Math.max(1, devSources.size() / Math.max(1, samples));
                    System.out.println("source:    " + devSources.get(k));
                    System.out.println("reference: " + devRefs.get(k));
                    System.out.println("model:     " + t.getHypotheses().get(k));
                    System.out.println();
                }
                int bestStep = Checkpoints.readState(best).step;
                MetricsLog.read(out.resolve("metrics.jsonl")).stream()
                        .filter(e -> e.containsKey("devLoss") && e.get("step") == bestStep)
                        .reduce((a, b) -> b)
                        .ifPresent(
                                e ->
                                        System.out.printf(
                                                "dev loss %.4f, perplexity %.2f (best checkpoint,"
                                                        + " step %d)%n",
                                                e.get("devLoss"), e.get("devPpl"), bestStep));
                System.out.println("dev " + t.bleu(devRefs).format(2, true));
                System.out.printf(
                        "translated the %d dev sentences in %.1f s (%s)%n",
                        devSources.size(), t.getSeconds(), finalDecoding);
            }
            System.out.println(
                    "model:       " + modelDir + "  (translate --model " + modelDir + ")");
            System.out.println("metrics:     " + out.resolve("metrics.jsonl"));
            System.out.println("loss curve:  " + out.resolve("loss-curve.png"));
            System.out.println("checkpoints: " + out.resolve("checkpoints"));
        }
        return 0;
    }

    private void checkOutputDirectory() throws java.io.IOException {
        if (resume || !Files.exists(out)) {
            return;
        }
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException(
                        "output directory "
                                + out
                                + " exists and is not empty: pass --resume to continue it, or"
                                + " choose another --out");
            }
        }
    }

    private Seq2SeqTokenizer tokenizer(Path trainFile) throws java.io.IOException {
        Path file = out.resolve("tokenizer.json");
        if (resume && Files.exists(file)) {
            return BpeTokenizer.load(file);
        }
        List<TextPair> pairs = ParallelTsvReader.read(trainFile);
        List<String> texts = new ArrayList<>(2 * pairs.size());
        for (TextPair p : pairs) {
            texts.add(p.source());
            texts.add(p.target());
        }
        long start = System.nanoTime();
        BpeTokenizer tokenizer =
                BpeTokenizer.train(
                        texts, BpeTrainingConfig.builder().optVocabSize(vocabSize).build());
        System.out.printf(
                "tokenizer: %,d-token BPE trained in %.1f s%n",
                tokenizer.size(), (System.nanoTime() - start) / 1e9);
        tokenizer.save(file);
        return tokenizer;
    }

    private ParallelTextDataset dataset(
            Seq2SeqTokenizer tokenizer, Path file, Dataset.Usage usage, BucketingSampler sampler)
            throws java.io.IOException {
        ParallelTextDataset.Builder builder =
                ParallelTextDataset.builder()
                        .setTokenizer(tokenizer)
                        .optUsage(usage)
                        .optMaxSourceLength(modelOptions.maxLength)
                        .optMaxTargetLength(modelOptions.maxLength)
                        .setSampling(sampler);
        builder =
                usage == Dataset.Usage.TRAIN
                        ? builder.optTrainFile(file)
                        : builder.optValidationFile(file);
        ParallelTextDataset dataset = builder.build();
        dataset.prepare();
        return dataset;
    }

    /**
     * Plots the loss curve; a plotting failure (no fonts, no display) is a warning, not an error.
     */
    private void plotLossCurve() {
        try {
            LossCurve.plot(out.resolve("metrics.jsonl"), out.resolve("loss-curve.png"));
        } catch (Exception | Error e) {
            System.err.println("warning: no loss curve (" + e + ")");
        }
    }
}
