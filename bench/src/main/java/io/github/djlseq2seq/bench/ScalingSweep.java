package io.github.djlseq2seq.bench;

import java.io.PrintStream;

/**
 * How the training step's cost grows with sequence length (batch 32) and with batch size (length
 * 32): one {@link TrainingBenchmark} per point, printed as a Markdown table.
 *
 * <p>Run: {@code bench scaling [--warmup N] [--steps N]} ({@link BenchCommand}; defaults 3 and 10
 * per point). Columns: B, S = T, ms per step, target tokens/s, GFLOP per step ({@link
 * TrainingFlops}), achieved GFLOP/s, and the CPU share other processes took ({@link CpuShare}).
 */
public final class ScalingSweep {

    /** The lengths swept at batch 32. */
    public static final int[] LENGTHS = {16, 32, 64, 128};

    /** The batch sizes swept at length 32. */
    public static final int[] BATCHES = {8, 16, 32, 64};

    private ScalingSweep() {}

    /**
     * Runs every point and prints the table, a row as soon as it is measured.
     *
     * @param warmup untimed steps per point
     * @param steps timed steps per point
     * @param out where the table goes
     */
    public static void run(int warmup, int steps, PrintStream out) {
        out.println(BenchmarkReport.line("engine", "djl", EngineInfo.describe()));
        out.println(
                "| B | S = T | ms/step | target tok/s | GFLOP/step | GFLOP/s | others' CPU % |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|");
        for (int length : LENGTHS) {
            row(32, length, warmup, steps, out);
        }
        for (int batch : BATCHES) {
            if (batch != 32) {
                row(batch, 32, warmup, steps, out);
            }
        }
        out.println(
                BenchmarkReport.line(
                        "load_average_end",
                        BenchmarkReport.fixed(EngineInfo.loadAverage(), 2),
                        "1-min load"));
    }

    private static void row(int batch, int length, int warmup, int steps, PrintStream out) {
        BenchSettings settings =
                BenchSettings.builder()
                        .optBatch(batch)
                        .optSourceLength(length)
                        .optTargetLength(length)
                        .optWarmupSteps(warmup)
                        .optTimedSteps(steps)
                        .optMemorySteps(0)
                        .build();
        TrainingFigures f = new TrainingBenchmark(settings, line -> {}).run();
        out.printf(
                java.util.Locale.ROOT,
                "| %d | %d | %.1f | %.0f | %.2f | %.1f | %.1f |%n",
                batch,
                length,
                f.msPerStep(),
                f.targetTokensPerSecond(),
                f.flopsPerStep() / 1e9,
                f.gflops(),
                f.othersCpuPercent());
    }
}
