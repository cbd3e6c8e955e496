package io.github.djlseq2seq.bench;

import java.io.PrintStream;

/**
 * The whole base-cpu report, as the {@code bench} command prints it: engine and threads, the 1024³
 * matrix-product rate, the training step (time, tokens/s, FLOPs, fraction of the matmul rate,
 * resident memory) and greedy decoding with and without the cache ({@link DecodingReport}).
 *
 * <p>Run: {@code bench [flags]} ({@link BenchCommand}); {@code --memory-steps 2000} adds the
 * memory-growth check (minutes).
 */
public final class BenchmarkSuite {

    /** The matrix size of the hardware-bound measurement. */
    public static final int MATMUL_SIZE = 1024;

    private BenchmarkSuite() {}

    /**
     * Runs every benchmark in turn, printing each figure as soon as it is known.
     *
     * @param settings what to run
     * @param out where the report goes
     * @return the training figures
     */
    public static TrainingFigures run(BenchSettings settings, PrintStream out) {
        out.println(BenchmarkReport.line("engine", "djl", EngineInfo.describe()));
        out.println(load("load_average_start"));
        out.println(
                BenchmarkReport.line(
                        "precision",
                        settings.getPrecision().displayName(),
                        "the model's matrix products (bf16: TorchScript, float32 parameters)"));
        double matmul = Double.NaN;
        if (!settings.isSkipMatmul()) {
            CpuShare others = CpuShare.start();
            matmul = MatmulBenchmark.gflops(MATMUL_SIZE, 5, 20);
            out.println(
                    BenchmarkReport.line(
                            "matmul_gflops",
                            BenchmarkReport.fixed(matmul, 1),
                            MATMUL_SIZE + "³ float32, median of 20"));
            out.println(
                    BenchmarkReport.othersLine("matmul_others_cpu_pct", others.othersPercent()));
        }
        TrainingFigures figures = new TrainingBenchmark(settings, out::println).run();
        BenchmarkReport.training(figures, matmul).forEach(out::println);
        if (!settings.isSkipDecoding()) {
            CpuShare others = CpuShare.start();
            DecodingReport.run(out, settings.getPrecision());
            out.println(
                    BenchmarkReport.othersLine("decode_others_cpu_pct", others.othersPercent()));
        }
        out.println(load("load_average_end"));
        return figures;
    }

    private static String load(String key) {
        return BenchmarkReport.line(
                key,
                BenchmarkReport.fixed(EngineInfo.loadAverage(), 2),
                "1-min load; near 1 means the benchmark had the machine to itself");
    }
}
