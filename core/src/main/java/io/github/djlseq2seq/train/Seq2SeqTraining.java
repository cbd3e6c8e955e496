package io.github.djlseq2seq.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import com.google.gson.JsonParser;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.data.BucketingSampler;
import io.github.djlseq2seq.data.ParallelTextDataset;
import io.github.djlseq2seq.data.ParallelTsvReader;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.data.TextPair;
import io.github.djlseq2seq.data.Tokenizers;
import io.github.djlseq2seq.inference.CorpusTranslation;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.precision.Bf16Support;
import io.github.djlseq2seq.precision.Precision;
import io.github.djlseq2seq.zoo.ModelExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Trains a translation model end to end: the whole recipe of the CLI's {@code train} command as one
 * builder.
 *
 * <pre>{@code
 * TrainingResult result = Seq2SeqTraining.builder()
 *         .setTrainFile(Path.of("train.tsv"))
 *         .optDevFile(Path.of("dev.tsv"))
 *         .setOutputDir(Path.of("runs/en-es"))
 *         .optVocabSize(1000)
 *         .optConfig(c -> c.optModelDim(64).optEncoderLayers(2).optDecoderLayers(2))
 *         .optSettings(TrainingSettings.builder().optMaxMinutes(5).build())
 *         .build()
 *         .run();
 * // result.modelDir() loads with Criteria.builder().optModelPath(...)
 * }</pre>
 *
 * <p>{@link #run} trains a shared BPE tokenizer on both sides of the training file (or takes the
 * given one), tokenizes the files into {@link ParallelTextDataset}s batched by a {@link
 * BucketingSampler}, builds a {@link Seq2SeqTransformer} from the configuration, and trains it with
 * the {@link TrainingLoop} (warmup and decay, gradient clipping, checkpoints, exact resume). At
 * each epoch end it scores the dev file by greedy corpus BLEU and keeps the best checkpoint by it.
 * It finally loads the best checkpoint (or the latest, without a dev file), exports it with {@link
 * ModelExporter} to {@code OUT/model} with the decoding options, and translates the dev file with
 * it. The output directory receives {@code tokenizer.json}, {@code config.json}, {@code
 * training.json} ({@link RunRecord}), {@code checkpoints/}, {@code metrics.jsonl} and {@code
 * model/}; a resumed run ({@link Builder#optResume}) reads the first three back.
 *
 * <p>One run at a time per output directory: {@link #run} holds its {@link RunLock} from start to
 * end, and fails at once with a {@link RunLock.RunLockedException} naming the process that holds
 * it.
 */
public final class Seq2SeqTraining {

    private static final int DEV_BATCH = 64;
    private static final int DEFAULT_VOCAB_SIZE = 8000;
    private static final int DEFAULT_BATCH_TOKENS = 3000;
    private static final String CONFIG = "config.json";
    private static final String TOKENIZER = "tokenizer.json";
    private static final DecodingOptions DEFAULT_DECODING =
            DecodingOptions.builder().optTruncateSource(true).build();

    private final Path trainFile;
    private final Path devFile;
    private final Path outputDir;
    private final Seq2SeqTokenizer givenTokenizer;
    private final Path tokenizerFile;
    private final Integer vocabSize;
    private final Integer batchTokens;
    private final Consumer<TransformerConfig.Builder> configurer;
    private final TrainingSettings settings;
    private final DecodingOptions decoding;
    private final boolean resume;
    private final Device[] devices;
    private final Bf16Support bf16Support;
    private final Consumer<String> log;
    private final boolean progressBar;
    private final AtomicBoolean stop = new AtomicBoolean();

    private Seq2SeqTraining(Builder b) {
        trainFile = b.trainFile;
        devFile = b.devFile;
        outputDir = b.outputDir;
        givenTokenizer = b.tokenizer;
        tokenizerFile = b.tokenizerFile;
        vocabSize = b.vocabSize;
        batchTokens = b.batchTokens;
        configurer = b.configurer;
        settings = b.settings;
        decoding = b.decoding;
        resume = b.resume;
        devices = b.devices;
        bf16Support = b.bf16Support;
        log = b.log;
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

    /**
     * Asks {@link #run} to stop early: the training step in progress finishes, a checkpoint is
     * written at it, and {@code run} returns an {@linkplain TrainingResult#interrupted interrupted}
     * result without exporting or translating; a run built with {@code optResume(true)} continues
     * from the step after it. A request made before training starts stops it before its first step;
     * one made while the model is being exported at the end is too late and is ignored. Thread-safe
     * (e.g. for a signal handler).
     */
    public void requestStop() {
        stop.set(true);
    }

    /**
     * Trains, selects the best checkpoint, exports it to {@code OUT/model} and scores it on the dev
     * file; or, after {@link #requestStop}, stops early with a checkpoint.
     *
     * @return what was trained and how it scores
     * @throws IOException if a file cannot be read or written, or a resumed run's checkpoint does
     *     not fit its configuration
     * @throws RunLock.RunLockedException if another run holds the output directory
     * @throws ResumeConflictException if a resumed run is given a value its record contradicts
     * @throws IllegalArgumentException if the output directory is not empty and this is not a
     *     resumed run
     * @throws TranslateException if batching or translating fails
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     */
    public TrainingResult run() throws IOException, TranslateException {
        checkOutputDirectory();
        try (RunLock lock = RunLock.acquire(outputDir)) {
            lock.staleOwner()
                    .ifPresent(
                            o ->
                                    log.accept(
                                            "took over the lock of "
                                                    + o
                                                    + ", which ended without releasing it"));
            return train(plan());
        }
    }

    /**
     * What this run trains with: the given values, and for a resumed run the run's own record for
     * the others. Reads only; fails on a value that contradicts the record.
     */
    private Plan plan() throws IOException {
        Path configFile = outputDir.resolve(CONFIG);
        Path tokenizerJson = outputDir.resolve(TOKENIZER);
        boolean started =
                resume && new Checkpoints(outputDir.resolve("checkpoints"), 1).latest().isPresent();
        for (Path needed : List.of(configFile, tokenizerJson)) {
            if (started && !Files.isRegularFile(needed)) {
                throw new IllegalArgumentException(
                        "cannot resume "
                                + outputDir
                                + ": it holds checkpoints but no "
                                + needed.getFileName()
                                + ", so the checkpoints' model is unknown");
            }
        }
        RunRecord recorded = resume ? RunRecord.read(outputDir).orElse(null) : null;
        List<ResumeConflictException.Conflict> conflicts = new ArrayList<>();
        int vocab = merged("vocabSize", vocabSize, recorded == null ? null : recorded.vocabSize());
        int batch =
                merged(
                        "batchTokens",
                        batchTokens,
                        recorded == null ? null : recorded.batchTokens());
        if (vocabSize != null && recorded != null && vocab != recorded.vocabSize()) {
            conflicts.add(conflict("vocabSize", vocab, recorded.vocabSize()));
        }
        if (batchTokens != null && recorded != null && batch != recorded.batchTokens()) {
            conflicts.add(conflict("batchTokens", batch, recorded.batchTokens()));
        }
        TrainingSettings runSettings =
                recorded == null
                        ? settings
                        : settings.resumedFrom(recorded.settings(), RunRecord.FILE_NAME, conflicts);
        Path train = trainFile != null ? trainFile : recorded == null ? null : recorded.trainFile();
        Path dev = devFile != null || recorded == null ? devFile : recorded.devFile();
        if (train == null) {
            throw new IllegalArgumentException(
                    "no training file: set one (setTrainFile); "
                            + outputDir
                            + " has no "
                            + RunRecord.FILE_NAME
                            + " to take it from");
        }
        DecodingOptions runDecoding =
                decoding != null
                        ? decoding
                        : recorded != null ? recorded.decoding() : DEFAULT_DECODING;
        Seq2SeqTokenizer tokenizer = null;
        if (resume && Files.isRegularFile(tokenizerJson)) {
            tokenizer = Tokenizers.load(tokenizerJson);
            if (!sameTokenizer(tokenizerJson)) {
                conflicts.add(
                        new ResumeConflictException.Conflict(
                                "tokenizer",
                                givenTokenizer != null
                                        ? "(the given one)"
                                        : tokenizerFile.toString(),
                                "(another one)",
                                TOKENIZER));
            }
        }
        TransformerConfig recordedConfig =
                resume && Files.isRegularFile(configFile)
                        ? TransformerConfig.load(configFile)
                        : null;
        TransformerConfig config = null;
        if (recordedConfig != null) {
            TransformerConfig.Builder b = recordedConfig.toBuilder();
            configurer.accept(b);
            config = b.build();
            conflicts.addAll(
                    ResumeConflictException.compare(
                            JsonParser.parseString(config.toJson()).getAsJsonObject(),
                            JsonParser.parseString(recordedConfig.toJson()).getAsJsonObject(),
                            JsonParser.parseString(config.toJson()).getAsJsonObject().keySet(),
                            CONFIG));
        }
        if (!conflicts.isEmpty()) {
            throw new ResumeConflictException(outputDir, conflicts);
        }
        if (tokenizer == null) {
            tokenizer = newTokenizer(train, vocab);
        }
        if (config == null) {
            config = newConfig(tokenizer);
        }
        return new Plan(
                tokenizer,
                tokenizer != null && resume && Files.isRegularFile(tokenizerJson),
                config,
                recordedConfig != null,
                new RunRecord(train, dev, vocab, batch, runSettings, runDecoding),
                recorded);
    }

    /** Trains as planned: datasets, checkpoint check, then the run's files, the loop, export. */
    private TrainingResult train(Plan plan) throws IOException, TranslateException {
        RunRecord run = plan.record();
        TransformerConfig config = plan.config();
        Seq2SeqTokenizer tokenizer = plan.tokenizer();
        BucketingSampler sampler =
                BucketingSampler.builder()
                        .setBatchSize(Math.max(1, run.batchTokens() / 4))
                        .setMaxTokens(run.batchTokens())
                        .optSeed(run.settings().getSeed())
                        .build();
        List<TextPair> devPairs =
                run.devFile() == null ? List.of() : ParallelTsvReader.read(run.devFile());
        try (ParallelTextDataset trainData =
                        dataset(tokenizer, config, run.trainFile(), Dataset.Usage.TRAIN, sampler);
                ParallelTextDataset devData =
                        run.devFile() == null
                                ? null
                                : dataset(
                                        tokenizer,
                                        config,
                                        run.devFile(),
                                        Dataset.Usage.VALIDATION,
                                        BucketingSampler.builder()
                                                .setBatchSize(DEV_BATCH)
                                                .setMaxTokens(run.batchTokens())
                                                .optShuffle(false)
                                                .build());
                Model model = Model.newInstance("seq2seq")) {
            if (resume) {
                checkLatestCheckpoint(config, run.settings());
            }
            // the run's record is written only now, once everything it describes has been checked
            if (!plan.tokenizerRecorded()) {
                tokenizer.save(outputDir.resolve(TOKENIZER));
            }
            if (!plan.configRecorded()) {
                config.save(outputDir.resolve(CONFIG));
            }
            if (plan.previous() == null || !plan.previous().toJson().equals(run.toJson())) {
                run.write(outputDir);
            }
            log.accept(
                    String.format(
                            "train: %,d pairs (%d over %d tokens skipped); dev: %,d pairs",
                            trainData.size(),
                            trainData.getOverLengthCount(),
                            config.maxLength(),
                            devData == null ? 0 : devData.size()));
            Device device =
                    devices != null && devices.length > 0
                            ? devices[0]
                            : Engine.getInstance().defaultDevice();
            Precision precision = bf16Support.resolve(run.settings().getPrecision(), device);
            model.setBlock(
                    Seq2SeqTransformer.builder().setConfig(config).optPrecision(precision).build());
            log.accept(
                    "precision: "
                            + precision.displayName()
                            + (precision == Precision.BF16
                                    ? " (matrix products; parameters, Adam moments, softmax,"
                                            + " LayerNorm and loss in fp32)"
                                    : ""));
            log.accept(
                    String.format(
                            "model: %,d parameters, d=%d, %d heads, %d+%d layers, ff=%d",
                            config.parameterCount(),
                            config.modelDim(),
                            config.numHeads(),
                            config.encoderLayers(),
                            config.decoderLayers(),
                            config.feedForwardDim()));
            TrainingState state =
                    loop(model, trainData, devData, tokenizer, devPairs, run).run(resume);
            if (stop.get()) {
                Optional<Path> latest =
                        new Checkpoints(outputDir.resolve("checkpoints"), 1).latest();
                return new TrainingResult(
                        outputDir,
                        null,
                        tokenizer,
                        config,
                        run.decoding(),
                        state.step,
                        -1,
                        Double.NaN,
                        Optional.empty(),
                        List.of(),
                        0,
                        latest.orElse(null),
                        true);
            }
            return export(model, tokenizer, config, devPairs, state, run.decoding());
        }
    }

    /**
     * Loads the latest checkpoint into a scratch model and optimizer, exactly as the loop will, so
     * that a checkpoint that does not fit the configuration fails before anything is written.
     */
    private void checkLatestCheckpoint(TransformerConfig config, TrainingSettings runSettings)
            throws IOException {
        Optional<Path> latest =
                new Checkpoints(outputDir.resolve("checkpoints"), runSettings.getKeepCheckpoints())
                        .latest();
        if (latest.isEmpty()) {
            return;
        }
        try (Model scratch = Model.newInstance("resume-check")) {
            scratch.setBlock(Seq2SeqTransformer.builder().setConfig(config).build());
            Checkpoints.load(latest.get(), scratch, ResumableAdam.builder().build());
        } catch (IOException | RuntimeException e) {
            throw new IOException(
                    "cannot resume "
                            + outputDir
                            + " from "
                            + latest.get().getFileName()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** Whether a given tokenizer (or tokenizer file) is the run's own; true when none is given. */
    private boolean sameTokenizer(Path recorded) throws IOException {
        if (givenTokenizer == null && tokenizerFile == null) {
            return true;
        }
        if (givenTokenizer == null) {
            Path file =
                    Files.isDirectory(tokenizerFile)
                            ? tokenizerFile.resolve(TOKENIZER)
                            : tokenizerFile;
            return Arrays.equals(Files.readAllBytes(file), Files.readAllBytes(recorded));
        }
        Path tmp = Files.createTempFile("djl-seq2seq-tokenizer", ".json");
        try {
            givenTokenizer.save(tmp);
            return Arrays.equals(Files.readAllBytes(tmp), Files.readAllBytes(recorded));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static int merged(String name, Integer given, Integer recorded) {
        if (given != null) {
            return given;
        }
        if (recorded != null) {
            return recorded;
        }
        return "vocabSize".equals(name) ? DEFAULT_VOCAB_SIZE : DEFAULT_BATCH_TOKENS;
    }

    private static ResumeConflictException.Conflict conflict(
            String field, int given, int recorded) {
        return new ResumeConflictException.Conflict(
                field, String.valueOf(given), String.valueOf(recorded), RunRecord.FILE_NAME);
    }

    /** The configuration of a new run: the tokenizer's vocabulary, adjusted by the configurer. */
    private TransformerConfig newConfig(Seq2SeqTokenizer tokenizer) {
        TransformerConfig.Builder configBuilder =
                TransformerConfig.builder()
                        .setSourceVocabSize(tokenizer.size())
                        .setTargetVocabSize(tokenizer.size())
                        .optShareEmbeddings(true)
                        .optTieOutputEmbedding(true);
        configurer.accept(configBuilder);
        TransformerConfig config = configBuilder.build();
        if (config.sourceVocabSize() != tokenizer.size()
                || config.targetVocabSize() != tokenizer.size()) {
            throw new IllegalArgumentException(
                    "the model's vocabulary sizes ("
                            + config.sourceVocabSize()
                            + ", "
                            + config.targetVocabSize()
                            + ") must be the tokenizer's size "
                            + tokenizer.size());
        }
        return config;
    }

    /**
     * What a run trains with.
     *
     * @param tokenizer the shared tokenizer
     * @param tokenizerRecorded whether it is the run directory's own {@code tokenizer.json}
     * @param config the model configuration
     * @param configRecorded whether it is the run directory's own {@code config.json}
     * @param record the values of this run, written as {@code training.json}
     * @param previous the record the run directory held, or null
     */
    private record Plan(
            Seq2SeqTokenizer tokenizer,
            boolean tokenizerRecorded,
            TransformerConfig config,
            boolean configRecorded,
            RunRecord record,
            RunRecord previous) {}

    /** The training loop; checkpoints are compared by greedy dev BLEU, which is cheap. */
    private TrainingLoop loop(
            Model model,
            ParallelTextDataset trainData,
            ParallelTextDataset devData,
            Seq2SeqTokenizer tokenizer,
            List<TextPair> devPairs,
            RunRecord run) {
        TrainingLoop.Builder loop =
                TrainingLoop.builder()
                        .setModel(model)
                        .setTrainData(trainData)
                        .setOutputDir(outputDir)
                        .setInputShapes(new Shape(1, 8), new Shape(1, 8))
                        .optSettings(run.settings())
                        .optLog(log)
                        .optProgressBar(progressBar)
                        .optStopFlag(stop);
        if (devices != null) {
            loop.optDevices(devices);
        }
        if (devData != null) {
            Seq2SeqTranslator greedy =
                    new Seq2SeqTranslator(tokenizer, tokenizer, greedy(run.decoding()));
            loop.optDevData(devData)
                    .optEvaluator(
                            m -> {
                                CorpusTranslation t = translate(m, greedy, devPairs);
                                return Map.of(
                                        "devBleu", t.bleu(references(devPairs)).getScore(),
                                        "devTranslateSeconds", t.getSeconds());
                            })
                    .optSelectBy("devBleu", true);
        }
        return loop.build();
    }

    /** Loads the best checkpoint (or the latest), exports it and translates the dev file. */
    private TrainingResult export(
            Model model,
            Seq2SeqTokenizer tokenizer,
            TransformerConfig config,
            List<TextPair> devPairs,
            TrainingState state,
            DecodingOptions decoding)
            throws IOException, TranslateException {
        Checkpoints checkpoints = new Checkpoints(outputDir.resolve("checkpoints"), 1);
        Path latest = checkpoints.latest().orElseThrow();
        Path chosen = checkpoints.best().orElse(latest);
        Checkpoints.readParameters(model, chosen.resolve("parameters.params"));
        int exportedStep = Checkpoints.readState(chosen).step;
        Path modelDir =
                ModelExporter.export(
                        model, tokenizer, tokenizer, decoding, outputDir.resolve("model"), true);
        double devLoss =
                MetricsLog.read(outputDir.resolve("metrics.jsonl")).stream()
                        .filter(e -> e.containsKey("devLoss") && e.get("step") == exportedStep)
                        .reduce((a, b) -> b)
                        .map(e -> e.get("devLoss"))
                        .orElse(Double.NaN);
        CorpusTranslation dev =
                devPairs.isEmpty()
                        ? null
                        : translate(
                                model,
                                new Seq2SeqTranslator(tokenizer, tokenizer, decoding),
                                devPairs);
        return new TrainingResult(
                outputDir,
                modelDir,
                tokenizer,
                config,
                decoding,
                state.step,
                exportedStep,
                devLoss,
                dev == null ? Optional.empty() : Optional.of(dev.bleu(references(devPairs))),
                dev == null ? List.of() : dev.getHypotheses(),
                dev == null ? 0 : dev.getSeconds(),
                latest,
                false);
    }

    private static CorpusTranslation translate(
            Model model, Seq2SeqTranslator translator, List<TextPair> pairs)
            throws TranslateException {
        try (Predictor<String, String> p = model.newPredictor(translator)) {
            return CorpusTranslation.translate(
                    p, pairs.stream().map(TextPair::source).toList(), DEV_BATCH);
        }
    }

    private static List<String> references(List<TextPair> pairs) {
        return pairs.stream().map(TextPair::target).toList();
    }

    /** The same decoding options with one beam: greedy decoding. */
    private static DecodingOptions greedy(DecodingOptions options) {
        return DecodingOptions.builder()
                .optBeamSize(1)
                .optLengthPenalty(options.getLengthPenalty())
                .optMaxLengthRatio(options.getMaxLengthRatio())
                .optMaxLengthOffset(options.getMaxLengthOffset())
                .optNoRepeatNgramSize(options.getNoRepeatNgramSize())
                .optTruncateSource(options.isTruncateSource())
                .optIncremental(options.isIncremental())
                .build();
    }

    private void checkOutputDirectory() throws IOException {
        if (resume || !Files.exists(outputDir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(outputDir)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException(
                        "output directory "
                                + outputDir
                                + " exists and is not empty: resume it (--resume, optResume(true))"
                                + " or choose another output directory");
            }
        }
    }

    /** The tokenizer of a new run: the given one, or a BPE trained on the training file. */
    private Seq2SeqTokenizer newTokenizer(Path train, int vocab) throws IOException {
        if (givenTokenizer != null) {
            return givenTokenizer;
        }
        if (tokenizerFile != null) {
            return Tokenizers.load(tokenizerFile);
        }
        List<TextPair> pairs = ParallelTsvReader.read(train);
        List<String> texts = new ArrayList<>(2 * pairs.size());
        for (TextPair p : pairs) {
            texts.add(p.source());
            texts.add(p.target());
        }
        long start = System.nanoTime();
        Seq2SeqTokenizer tokenizer =
                BpeTokenizer.train(texts, BpeTrainingConfig.builder().optVocabSize(vocab).build());
        log.accept(
                String.format(
                        "tokenizer: %,d-token BPE trained in %.1f s",
                        tokenizer.size(), (System.nanoTime() - start) / 1e9));
        return tokenizer;
    }

    private ParallelTextDataset dataset(
            Seq2SeqTokenizer tokenizer,
            TransformerConfig config,
            Path file,
            Dataset.Usage usage,
            BucketingSampler sampler)
            throws IOException {
        ParallelTextDataset.Builder builder =
                ParallelTextDataset.builder()
                        .setTokenizer(tokenizer)
                        .optUsage(usage)
                        .optMaxSourceLength(config.maxLength())
                        .optMaxTargetLength(config.maxLength())
                        .setSampling(sampler);
        builder =
                usage == Dataset.Usage.TRAIN
                        ? builder.optTrainFile(file)
                        : builder.optValidationFile(file);
        ParallelTextDataset dataset = builder.build();
        dataset.prepare();
        return dataset;
    }

    /** Builds a {@link Seq2SeqTraining}. */
    public static final class Builder {
        private Path trainFile;
        private Path devFile;
        private Path outputDir;
        private Seq2SeqTokenizer tokenizer;
        private Path tokenizerFile;
        private Integer vocabSize;
        private Integer batchTokens;
        private Consumer<TransformerConfig.Builder> configurer = c -> {};
        private TrainingSettings settings = TrainingSettings.builder().build();
        private DecodingOptions decoding;
        private boolean resume;
        private Device[] devices;
        private Bf16Support bf16Support = Bf16Support.system();
        private Consumer<String> log = System.out::println;
        private boolean progressBar;

        Builder() {}

        /**
         * Sets the training pairs: a TSV (or {@code .tsv.gz}) of source and target sentences
         * (required, except that a resumed run defaults to its own).
         *
         * @param file the file
         * @return this builder
         */
        public Builder setTrainFile(Path file) {
            this.trainFile = file;
            return this;
        }

        /**
         * Sets the dev pairs, which score each epoch (dev loss and greedy BLEU), select the best
         * checkpoint and are translated by the exported model (default none: the latest checkpoint
         * is exported; a resumed run defaults to its own).
         *
         * @param file the TSV file
         * @return this builder
         */
        public Builder optDevFile(Path file) {
            this.devFile = file;
            return this;
        }

        /**
         * Sets the output directory; it must be empty or absent unless the run is resumed.
         *
         * @param dir the directory
         * @return this builder
         */
        public Builder setOutputDir(Path dir) {
            this.outputDir = dir;
            return this;
        }

        /**
         * Uses a tokenizer for both languages instead of training one.
         *
         * @param tokenizer the shared tokenizer
         * @return this builder
         */
        public Builder optTokenizer(Seq2SeqTokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /**
         * Loads the shared tokenizer from a {@code tokenizer.json} instead of training one.
         *
         * @param file the file (or a directory holding {@code tokenizer.json})
         * @return this builder
         */
        public Builder optTokenizerFile(Path file) {
            this.tokenizerFile = file;
            return this;
        }

        /**
         * Sets the size of the BPE vocabulary trained on both sides of the training file (default
         * 8000, or a resumed run's); not used with a given tokenizer.
         *
         * @param size the vocabulary size, special tokens included
         * @return this builder
         */
        public Builder optVocabSize(int size) {
            this.vocabSize = size;
            return this;
        }

        /**
         * Sets the padded tokens per training batch (default 3000, or a resumed run's).
         *
         * @param tokens the token budget of a batch
         * @return this builder
         */
        public Builder optBatchTokens(int tokens) {
            this.batchTokens = tokens;
            return this;
        }

        /**
         * Adjusts the model configuration. The builder it receives has both vocabulary sizes set to
         * the tokenizer's, shared embeddings and a tied output projection, and {@link
         * TransformerConfig.Builder}'s defaults otherwise; its {@code maxLength} also bounds the
         * training pairs (longer ones are skipped).
         *
         * @param configurer changes the builder, e.g. {@code c -> c.optModelDim(64)}
         * @return this builder
         */
        public Builder optConfig(Consumer<TransformerConfig.Builder> configurer) {
            this.configurer = configurer;
            return this;
        }

        /**
         * Sets the training settings: budgets, learning rate, warmup, decay, label smoothing,
         * clipping, seed (default {@link TrainingSettings.Builder}'s defaults). A resumed run takes
         * only the values set on the settings' builder, and its own for the others.
         *
         * @param settings the settings
         * @return this builder
         */
        public Builder optSettings(TrainingSettings settings) {
            this.settings = settings;
            return this;
        }

        /**
         * Sets the exported model's default decoding options, also used to translate the dev file
         * at the end; the dev BLEU that selects checkpoints decodes greedily with them (default
         * {@link DecodingOptions.Builder}'s defaults, with over-long sources truncated, or a
         * resumed run's).
         *
         * @param options the decoding options
         * @return this builder
         */
        public Builder optDecoding(DecodingOptions options) {
            this.decoding = options;
            return this;
        }

        /**
         * Continues the run in the output directory from its latest checkpoint (default false). A
         * resumed run continues exactly as an uninterrupted one.
         *
         * <p>It takes the model configuration ({@code config.json}), the tokenizer ({@code
         * tokenizer.json}) and everything else it is not given ({@code training.json}: training and
         * dev files, vocabulary size, batch tokens, training settings, decoding options) from the
         * run directory. A given value may change the budgets (epochs, steps, minutes), logging,
         * checkpoint frequency, decoding and files; one that contradicts the model, the tokenizer,
         * the vocabulary size, the batch tokens or the optimisation ({@link
         * TrainingSettings#FIXED_ON_RESUME}) fails with a {@link ResumeConflictException} naming
         * both values. Nothing in the run directory is written before the latest checkpoint has
         * been loaded into a model of the configuration, so a failed resume leaves the directory as
         * it was. A directory without checkpoints (or without anything) starts the run.
         *
         * @param resume whether to resume
         * @return this builder
         */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * Sets the training devices (default: DJL's {@code Engine} choice).
         *
         * @param devices the devices
         * @return this builder
         */
        public Builder optDevices(Device... devices) {
            this.devices = devices;
            return this;
        }

        /**
         * Sets how bf16 support is decided (default {@link Bf16Support#system()}); a run that asks
         * for bf16 ({@link TrainingSettings.Builder#optPrecision}) on a device without it trains in
         * fp32.
         *
         * @param support the decision
         * @return this builder
         */
        public Builder optBf16Support(Bf16Support support) {
            this.bf16Support = support;
            return this;
        }

        /**
         * Sets where progress lines go (default standard output).
         *
         * @param log the sink
         * @return this builder
         */
        public Builder optLog(Consumer<String> log) {
            this.log = log;
            return this;
        }

        /**
         * Shows DJL's progress bar over the step or time budget (default off).
         *
         * @param show whether to show it
         * @return this builder
         */
        public Builder optProgressBar(boolean show) {
            this.progressBar = show;
            return this;
        }

        /**
         * Builds the training.
         *
         * @return the training, ready to {@link Seq2SeqTraining#run}
         * @throws IllegalArgumentException if the training file or output directory is missing, or
         *     a size is not positive
         */
        public Seq2SeqTraining build() {
            if ((trainFile == null && !resume) || outputDir == null) {
                throw new IllegalArgumentException(
                        "Seq2SeqTraining needs a training file (setTrainFile; a resumed run has its"
                                + " own) and an output directory (setOutputDir)");
            }
            if ((vocabSize != null && vocabSize <= 0)
                    || (batchTokens != null && batchTokens <= 0)) {
                throw new IllegalArgumentException(
                        "vocabSize and batchTokens must be positive: "
                                + vocabSize
                                + ", "
                                + batchTokens);
            }
            return new Seq2SeqTraining(this);
        }
    }
}
