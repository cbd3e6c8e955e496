package io.github.djlseq2seq.bench;

import ai.djl.Device;
import io.github.djlseq2seq.examples.BundledCorpus;
import io.github.djlseq2seq.precision.Bf16Support;
import io.github.djlseq2seq.precision.Precision;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The benchmark application, its only entry point and command-line parser: {@code bench} prints the
 * base-cpu report of {@link BenchmarkSuite} (matmul bound, training step, FLOPs, resident memory,
 * greedy decoding); its subcommands run one benchmark each: {@code training}, {@code decoding},
 * {@code scaling}, {@code tokenizer} and {@code data}. All measuring is in the benchmark classes;
 * the commands only map flags and print.
 *
 * <p>Bad options or values print the usage and exit with status 2.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        version = "djl-seq2seq bench 0.1.0",
        description =
                "Benchmarks base-cpu (d 256, 4 heads, 3+3 layers, ff 1024, vocabularies 8000):"
                        + " training ms/step, target tokens/s, GFLOP/s vs a 1024³ matmul, resident"
                        + " memory, greedy decoding. bench/run.sh compares it with PyTorch.",
        subcommands = {
            BenchCommand.Training.class,
            BenchCommand.Decoding.class,
            BenchCommand.Scaling.class,
            BenchCommand.Tokenizer.class,
            BenchCommand.Data.class
        })
public final class BenchCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin TrainingOptions training = new TrainingOptions();

    @Option(names = "--skip-matmul", description = "Do not measure the matmul rate.")
    boolean skipMatmul;

    @Option(names = "--skip-decoding", description = "Do not run the decoding benchmark.")
    boolean skipDecoding;

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Creates the parser of the bench command and its subcommands; {@link CommandLine#execute}
     * returns 0 on success, 1 on a failure and 2 on bad options or values.
     *
     * @return the command line
     */
    public static CommandLine commandLine() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true"); // benchmarks never download
        }
        return new CommandLine(new BenchCommand());
    }

    /**
     * Returns the settings the flags describe.
     *
     * @return the settings
     * @throws ParameterException naming the bad value
     */
    BenchSettings settings() {
        return training.settings(spec)
                .optSkipMatmul(skipMatmul)
                .optSkipDecoding(skipDecoding)
                .build();
    }

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        BenchmarkSuite.run(settings(), System.out);
        return 0;
    }

    /** The batch shape and step counts of a training benchmark, shared by two commands. */
    static final class TrainingOptions {

        @Option(names = "--batch", description = "Sentences per batch (default: ${DEFAULT-VALUE}).")
        int batch = 32;

        @Option(
                names = "--length",
                description = "Source and target length (default: ${DEFAULT-VALUE}).")
        int length = 32;

        @Option(names = "--source-length", description = "Source length (default: --length).")
        Integer sourceLength;

        @Option(names = "--target-length", description = "Target length (default: --length).")
        Integer targetLength;

        @Option(
                names = "--warmup",
                description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
        int warmup = 5;

        @Option(
                names = "--steps",
                description = "Timed steps, the median is reported (default: ${DEFAULT-VALUE}).")
        int steps = 20;

        @Option(
                names = "--memory-steps",
                description =
                        "Read resident memory after step 100 and after this step; 2000 for the"
                                + " growth check (run the JVM with -Xms256m -Xmx256m"
                                + " -XX:+AlwaysPreTouch, or the heap filling up counts as"
                                + " growth), 0 for none (default: ${DEFAULT-VALUE}).")
        int memorySteps = BenchSettings.FIRST_MEMORY_STEP;

        @Option(
                names = "--clip",
                description = "Also clip the global gradient norm, as training does.")
        boolean clip;

        @Option(
                names = "--profile",
                description =
                        "Record 5 more training steps with libtorch's profiler into this Chrome"
                                + " trace (summary: bench/profile_summary.py).")
        Path profile;

        @Option(
                names = "--precision",
                description =
                        "Matrix products in fp32 or bf16 (bf16 falls back to fp32 with a note"
                                + " on a CPU without avx512_bf16/amx_bf16; default:"
                                + " ${DEFAULT-VALUE}).")
        String precision = "fp32";

        /**
         * Maps the flags onto a settings builder, checking the values the builder checks.
         *
         * @param spec the command, named in a bad value's error
         * @return the builder, valid when built as it is
         * @throws ParameterException naming the bad value
         */
        BenchSettings.Builder settings(CommandSpec spec) {
            BenchSettings.Builder builder =
                    BenchSettings.builder()
                            .optBatch(batch)
                            .optSourceLength(sourceLength == null ? length : sourceLength)
                            .optTargetLength(targetLength == null ? length : targetLength)
                            .optWarmupSteps(warmup)
                            .optTimedSteps(steps)
                            .optMemorySteps(memorySteps)
                            .optClip(clip)
                            .optProfile(profile);
            try {
                builder.optPrecision(resolvedPrecision(precision));
                builder.build();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            return builder;
        }
    }

    /**
     * Parses a {@code --precision} value and resolves it for the CPU.
     *
     * @param name {@code fp32} or {@code bf16}
     * @return the precision the benchmark runs in
     * @throws IllegalArgumentException for another name
     */
    static Precision resolvedPrecision(String name) {
        return Bf16Support.system().resolve(Precision.fromName(name), Device.cpu());
    }

    /** {@code bench training}: the training step alone, as in the full report. */
    @Command(
            name = "training",
            mixinStandardHelpOptions = true,
            description = "Times the training step of base-cpu on random ids without padding.")
    static final class Training implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Mixin TrainingOptions training = new TrainingOptions();

        /** {@inheritDoc} */
        @Override
        public Integer call() {
            BenchSettings settings = training.settings(spec).build();
            TrainingFigures figures = new TrainingBenchmark(settings, System.out::println).run();
            BenchmarkReport.training(figures, Double.NaN).forEach(System.out::println);
            return 0;
        }
    }

    /** {@code bench decoding}: greedy decoding of base-cpu with and without the cache. */
    @Command(
            name = "decoding",
            mixinStandardHelpOptions = true,
            description =
                    "Times greedy decoding of base-cpu, cached and recomputed, at L = 16, 64 and"
                            + " 128 output tokens.")
    static final class Decoding implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(
                names = "--precision",
                description = "Matrix products in fp32 or bf16 (default: ${DEFAULT-VALUE}).")
        String precision = "fp32";

        /** {@inheritDoc} */
        @Override
        public Integer call() {
            Precision resolved;
            try {
                resolved = resolvedPrecision(precision);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            DecodingReport.run(System.out, resolved);
            return 0;
        }
    }

    /** {@code bench scaling}: the training step's cost against sequence length and batch size. */
    @Command(
            name = "scaling",
            mixinStandardHelpOptions = true,
            description =
                    "Sweeps the training step over lengths 16-128 (batch 32) and batches 8-64"
                            + " (length 32); prints a Markdown table.")
    static final class Scaling implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(
                names = "--warmup",
                description = "Untimed steps per point (default: ${DEFAULT-VALUE}).")
        int warmup = 3;

        @Option(
                names = "--steps",
                description = "Timed steps per point (default: ${DEFAULT-VALUE}).")
        int steps = 10;

        /** {@inheritDoc} */
        @Override
        public Integer call() {
            if (warmup < 0 || steps <= 0) {
                throw new ParameterException(
                        spec.commandLine(), "--warmup must be >= 0 and --steps positive");
            }
            ScalingSweep.run(warmup, steps, System.out);
            return 0;
        }
    }

    /** {@code bench tokenizer}: BPE training and encoding on the bundled corpus. */
    @Command(
            name = "tokenizer",
            mixinStandardHelpOptions = true,
            description =
                    "Times training a shared BPE vocabulary on both sides of the bundled train"
                            + " split, then encoding them.")
    static final class Tokenizer implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(
                names = "--vocab-size",
                description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
        int vocabSize = 8000;

        @Option(names = "--save", description = "Also write the trained tokenizer.json here.")
        Path save;

        /** {@inheritDoc} */
        @Override
        public Integer call() throws IOException {
            if (vocabSize <= 0) {
                throw new ParameterException(spec.commandLine(), "--vocab-size must be positive");
            }
            TokenizerBenchmark.run(BundledCorpus.readTrain(), vocabSize, save, System.out);
            return 0;
        }
    }

    /** {@code bench data}: reading, tokenizing and batching throughput. */
    @Command(
            name = "data",
            mixinStandardHelpOptions = true,
            description =
                    "Times reading, tokenizing (whitespace tokenizer) and batching the bundled"
                            + " train split.")
    static final class Data implements Callable<Integer> {

        /** {@inheritDoc} */
        @Override
        public Integer call() throws Exception {
            DataBenchmark.runWordLevel(System.out);
            return 0;
        }
    }
}
