package io.github.djlseq2seq.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: prints the base-cpu report of {@link BenchmarkSuite} (matmul bound, training step,
 * FLOPs, resident memory, decoding when its benchmark exists). All measuring is in the library;
 * this command only maps flags and prints.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description =
                "Benchmarks base-cpu (d 256, 4 heads, 3+3 layers, ff 1024, vocabularies 8000):"
                        + " training ms/step, target tokens/s, GFLOP/s vs a 1024³ matmul, resident"
                        + " memory, greedy decoding. bench/run.sh compares it with PyTorch.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--batch", description = "Sentences per batch (default: ${DEFAULT-VALUE}).")
    int batch = 32;

    @Option(
            names = "--length",
            description = "Source and target length (default: ${DEFAULT-VALUE}).")
    int length = 32;

    @Option(names = "--warmup", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
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
                            + " -XX:+AlwaysPreTouch, or the heap filling up counts as growth),"
                            + " 0 for none (default: ${DEFAULT-VALUE}).")
    int memorySteps = BenchSettings.FIRST_MEMORY_STEP;

    @Option(names = "--clip", description = "Also clip the global gradient norm, as training does.")
    boolean clip;

    @Option(names = "--skip-matmul", description = "Do not measure the matmul rate.")
    boolean skipMatmul;

    @Option(
            names = "--profile",
            description =
                    "Record 5 more training steps with libtorch's profiler into this Chrome trace"
                            + " (summary: bench/profile_summary.py).")
    java.nio.file.Path profile;

    @Option(names = "--skip-decoding", description = "Do not run the decoding benchmark.")
    boolean skipDecoding;

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        BenchSettings settings =
                BenchSettings.builder()
                        .optBatch(batch)
                        .optSourceLength(length)
                        .optTargetLength(length)
                        .optWarmupSteps(warmup)
                        .optTimedSteps(steps)
                        .optMemorySteps(memorySteps)
                        .optClip(clip)
                        .optSkipMatmul(skipMatmul)
                        .optSkipDecoding(skipDecoding)
                        .optProfile(profile)
                        .build();
        BenchmarkSuite.run(settings, System.out);
        return 0;
    }
}
