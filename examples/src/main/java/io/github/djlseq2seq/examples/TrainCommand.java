package io.github.djlseq2seq.examples;

import io.github.djlseq2seq.data.ParallelTsvReader;
import io.github.djlseq2seq.data.TextPair;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.precision.Precision;
import io.github.djlseq2seq.train.ResumeConflictException;
import io.github.djlseq2seq.train.RunRecord;
import io.github.djlseq2seq.train.Seq2SeqTraining;
import io.github.djlseq2seq.train.TrainingResult;
import io.github.djlseq2seq.train.TrainingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * Trains a translation model on a parallel TSV (by default the bundled Bible English→Spanish
 * corpus), then prints sample translations of dev sentences.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Train a Transformer on parallel text (default: the bundled Bible en→es corpus).",
            "Writes OUT/tokenizer.json, OUT/config.json, OUT/training.json, OUT/checkpoints/,"
                    + " OUT/metrics.jsonl, OUT/loss-curve.png"
                    + " and the final model OUT/model/.",
            "SIGINT (Ctrl-C) or SIGTERM: the current step finishes, a checkpoint is written, the"
                    + " resume command is printed; exit status 130 (SIGINT) or 143 (SIGTERM)."
                    + " A second signal aborts at once."
        })
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--train", description = "training TSV(.gz) (default: bundled Bible train)")
    Path train;

    @Option(names = "--dev", description = "validation TSV(.gz) (default: bundled Bible dev)")
    Path dev;

    @Option(names = "--out", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of("runs", "bible-en-es");

    @Option(
            names = "--resume",
            description =
                    "continue the run in --out from its latest checkpoint, with its own model,"
                            + " tokenizer and settings (flags not given keep the run's values;"
                            + " one that contradicts them is an error)")
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
            names = "--checkpoint-every",
            description =
                    "steps between checkpoints besides the epoch ends, 0 = epoch ends only"
                            + " (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(
            names = "--max-skipped-batches",
            description =
                    "batches with a NaN or infinite loss or gradient norm that may be skipped"
                            + " (parameters untouched, each logged) before training stops"
                            + " (default: ${DEFAULT-VALUE})")
    int maxSkippedBatches = 10;

    @Option(
            names = "--precision",
            converter = PrecisionConverter.class,
            description =
                    PrecisionConverter.HELP
                            + " (default: bf16, which trains 1.4x faster at the same loss on this"
                            + " project's Zen 4 machine; fp32 with a logged note on a CPU without"
                            + " avx512_bf16/amx_bf16)")
    Precision precision = Precision.BF16;

    @Option(
            names = "--keep-checkpoints",
            description =
                    "step checkpoints kept besides best/ (keep more to average them with the"
                            + " average command) (default: ${DEFAULT-VALUE})")
    int keepCheckpoints = 2;

    @Option(
            names = "--update-freq",
            description =
                    "batches whose gradients one optimizer step accumulates (loss normalised over"
                            + " all their target tokens), as fairseq's --update-freq"
                            + " (default: ${DEFAULT-VALUE})")
    int updateFreq = 1;

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

    @Spec CommandSpec spec;

    /** The training settings' names of the flags, for the messages of a conflicting resume. */
    private static final Map<String, String> FLAGS =
            Map.ofEntries(
                    Map.entry("modelDim", "--d-model"),
                    Map.entry("numHeads", "--heads"),
                    Map.entry("encoderLayers", "--layers"),
                    Map.entry("decoderLayers", "--layers"),
                    Map.entry("feedForwardDim", "--ff"),
                    Map.entry("dropout", "--dropout"),
                    Map.entry("normPlacement", "--norm"),
                    Map.entry("maxLength", "--max-length"),
                    Map.entry("vocabSize", "--vocab-size"),
                    Map.entry("batchTokens", "--batch-tokens"),
                    Map.entry("peakLearningRate", "--lr"),
                    Map.entry("warmupSteps", "--warmup"),
                    Map.entry("decay", "--decay"),
                    Map.entry("labelSmoothing", "--label-smoothing"),
                    Map.entry("clipNorm", "--clip-norm"),
                    Map.entry("updateFreq", "--update-freq"),
                    Map.entry("seed", "--seed"));

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        ParseResult parsed = spec.commandLine().getParseResult();
        // resuming a run: a flag not given takes the run's value, not the flag's default
        Optional<RunRecord> record = resume ? RunRecord.read(out) : Optional.empty();
        Predicate<String> pass = flag -> record.isEmpty() || parsed.hasMatchedOption(flag);
        boolean configRecorded = resume && Files.isRegularFile(out.resolve("config.json"));
        Seq2SeqTraining.Builder training =
                Seq2SeqTraining.builder()
                        .setOutputDir(out)
                        .optResume(resume)
                        .optConfig(
                                c ->
                                        modelOptions.configure(
                                                c,
                                                f -> !configRecorded || parsed.hasMatchedOption(f)))
                        .optSettings(settings(pass))
                        .optDecoding(decoding(parsed, record))
                        .optProgressBar(true);
        if (pass.test("--train")) {
            training.setTrainFile(train != null ? train : BundledCorpus.train());
        }
        if (pass.test("--dev")) {
            training.optDevFile(dev != null ? dev : BundledCorpus.dev());
        }
        if (pass.test("--vocab-size")) {
            training.optVocabSize(vocabSize);
        }
        if (pass.test("--batch-tokens")) {
            training.optBatchTokens(batchTokens);
        }
        Seq2SeqTraining run = training.build();
        TrainingResult result;
        int signalStatus;
        try (StopOnSignal signals = StopOnSignal.install(run::requestStop, System.err)) {
            result = run.run();
            signalStatus = signals.exitStatus();
        } catch (ResumeConflictException e) {
            throw new IllegalArgumentException(inFlags(e), e);
        }
        if (result.interrupted()) {
            printResumeHint(result);
            return signalStatus;
        }
        plotLossCurve();
        Path devFile = RunRecord.read(out).map(RunRecord::devFile).orElse(null);
        printDevTranslations(result, devFile == null ? List.of() : ParallelTsvReader.read(devFile));
        Path modelDir = result.modelDir();
        System.out.println("model:       " + modelDir + "  (translate --model " + modelDir + ")");
        System.out.println("metrics:     " + out.resolve("metrics.jsonl"));
        System.out.println("loss curve:  " + out.resolve("loss-curve.png"));
        System.out.println("checkpoints: " + out.resolve("checkpoints"));
        return 0;
    }

    /** The training settings of the flags that {@code pass}. */
    private TrainingSettings settings(Predicate<String> pass) {
        TrainingSettings.Builder s = TrainingSettings.builder();
        if (pass.test("--max-minutes")) {
            s.optMaxMinutes(maxMinutes);
        }
        if (pass.test("--max-steps")) {
            s.optMaxSteps(maxSteps);
        }
        if (pass.test("--epochs")) {
            s.optMaxEpochs(epochs);
        }
        if (pass.test("--seed")) {
            s.optSeed(seed);
        }
        if (pass.test("--lr")) {
            s.optPeakLearningRate(learningRate);
        }
        if (pass.test("--warmup")) {
            s.optWarmupSteps(warmup);
        }
        if (pass.test("--decay")) {
            s.optDecay(decay);
        }
        if (pass.test("--label-smoothing")) {
            s.optLabelSmoothing(labelSmoothing);
        }
        if (pass.test("--clip-norm")) {
            s.optClipNorm(clipNorm);
        }
        if (pass.test("--log-every")) {
            s.optLogEvery(logEvery);
        }
        if (pass.test("--checkpoint-every")) {
            s.optCheckpointEvery(checkpointEvery);
        }
        if (pass.test("--max-skipped-batches")) {
            s.optMaxSkippedBatches(maxSkippedBatches);
        }
        if (pass.test("--precision")) {
            s.optPrecision(precision);
        }
        if (pass.test("--keep-checkpoints")) {
            s.optKeepCheckpoints(keepCheckpoints);
        }
        if (pass.test("--update-freq")) {
            s.optUpdateFreq(updateFreq);
        }
        return s.build();
    }

    /**
     * The decoding options: the flags, or for a resumed run its own options changed by the flags
     * given. Checkpoints are compared by greedy dev BLEU (cheap); the final model decodes with
     * beams.
     */
    private DecodingOptions decoding(ParseResult parsed, Optional<RunRecord> record) {
        DecodingOptions base =
                record.map(RunRecord::decoding)
                        .orElseGet(() -> DecodingOptions.builder().optTruncateSource(true).build());
        boolean fresh = record.isEmpty();
        return DecodingOptions.builder()
                .optNoRepeatNgramSize(
                        fresh || parsed.hasMatchedOption("--no-repeat-ngram")
                                ? noRepeatNgram
                                : base.getNoRepeatNgramSize())
                .optBeamSize(fresh || parsed.hasMatchedOption("--beam") ? beam : base.getBeamSize())
                .optLengthPenalty(
                        fresh || parsed.hasMatchedOption("--alpha")
                                ? alpha
                                : base.getLengthPenalty())
                .optTruncateSource(base.isTruncateSource())
                .optMaxLengthRatio(base.getMaxLengthRatio())
                .optMaxLengthOffset(base.getMaxLengthOffset())
                .optIncremental(base.isIncremental())
                .build();
    }

    /** A conflicting resume's message, with the flags that set each value. */
    private static String inFlags(ResumeConflictException e) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (ResumeConflictException.Conflict c : e.getConflicts()) {
            String flag = FLAGS.getOrDefault(c.field(), c.field());
            parts.putIfAbsent(
                    flag,
                    flag
                            + " "
                            + c.given()
                            + " contradicts the run's "
                            + c.file()
                            + " ("
                            + c.field()
                            + " "
                            + c.recorded()
                            + ")");
        }
        return "cannot resume "
                + e.getRunDir()
                + ": "
                + String.join("; ", parts.values())
                + ". Leave out the flag to keep the run's value, or train into a new --out";
    }

    /** After SIGINT or SIGTERM: where the run stopped and the command that continues it. */
    private void printResumeHint(TrainingResult result) {
        StringBuilder command =
                new StringBuilder(javaCommand()).append(" train --out ").append(out);
        if (train != null) {
            command.append(" --train ").append(train);
        }
        if (dev != null) {
            command.append(" --dev ").append(dev);
        }
        command.append(" --resume");
        System.out.println(); // after the progress bar's line
        System.out.println(
                result.checkpoint() == null
                        ? "interrupted before the first step; no checkpoint written; start again"
                                + " with: "
                                + command
                        : "interrupted at step "
                                + result.finalStep()
                                + "; checkpoint written to "
                                + result.checkpoint()
                                + "; resume with: "
                                + command);
    }

    /** {@code java -jar JAR} when running from the examples jar, else the main class. */
    private static String javaCommand() {
        try {
            Path location =
                    Path.of(
                            TrainCommand.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            if (location.toString().endsWith(".jar")) {
                return "java -jar " + location;
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through: no jar known
        }
        return "java " + Cli.class.getName();
    }

    /** Prints sample translations, the exported checkpoint's dev loss and the dev BLEU. */
    private void printDevTranslations(TrainingResult result, List<TextPair> devPairs) {
        List<String> hypotheses = result.devHypotheses();
        System.out.println();
        for (int i = 0; i < Math.min(samples, devPairs.size()); i++) {
            int k = i * Math.max(1, devPairs.size() / Math.max(1, samples));
            System.out.println("source:    " + devPairs.get(k).source());
            System.out.println("reference: " + devPairs.get(k).target());
            System.out.println("model:     " + hypotheses.get(k));
            System.out.println();
        }
        if (!Double.isNaN(result.devLoss())) {
            System.out.printf(
                    "dev loss %.4f, perplexity %.2f (best checkpoint, step %d)%n",
                    result.devLoss(), result.devPerplexity(), result.exportedStep());
        }
        result.devBleu().ifPresent(bleu -> System.out.println("dev " + bleu.format(2, true)));
        System.out.printf(
                "translated the %d dev sentences in %.1f s (%s)%n",
                devPairs.size(), result.devTranslateSeconds(), result.decoding());
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
