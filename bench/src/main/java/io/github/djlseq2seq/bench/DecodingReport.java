package io.github.djlseq2seq.bench;

import io.github.djlseq2seq.precision.Precision;
import java.io.PrintStream;
import java.util.List;

/**
 * Runs {@link DecodingBenchmark} (greedy decoding of base-cpu with and without the key/value cache,
 * batch 32, source length 32, outputs forced to 16, 64 and 128 tokens) and prints its figures as
 * report lines: {@code decode_cached_L<n>_tokens_per_s}, {@code decode_recompute_L<n>_tokens_per_s}
 * and {@code decode_cache_speedup_L<n>}. The PyTorch peer prints {@code
 * decode_recompute_L<n>_tokens_per_s} for its own recompute-the-prefix loop.
 */
public final class DecodingReport {

    private DecodingReport() {}

    /**
     * Measures and prints.
     *
     * @param out where the lines go
     * @param precision the precision of the model's matrix products
     * @return the figures, one per output length
     */
    public static List<DecodingBenchmark.Figure> run(PrintStream out, Precision precision) {
        DecodingBenchmark benchmark =
                DecodingBenchmark.builder()
                        .optConfig(BenchSettings.baseCpu(256))
                        .optPrecision(precision)
                        .build();
        out.println(BenchmarkReport.line("decode_settings", "base-cpu", benchmark.describe()));
        List<DecodingBenchmark.Figure> figures = benchmark.run();
        for (DecodingBenchmark.Figure f : figures) {
            int n = f.getOutputLength();
            out.println(
                    BenchmarkReport.line(
                            "decode_cached_L" + n + "_tokens_per_s",
                            BenchmarkReport.fixed(f.getCachedTokensPerSecond(), 0),
                            "greedy, key/value cache"));
            out.println(
                    BenchmarkReport.line(
                            "decode_recompute_L" + n + "_tokens_per_s",
                            BenchmarkReport.fixed(f.getRecomputedTokensPerSecond(), 0),
                            "greedy, recompute the prefix"));
            out.println(
                    BenchmarkReport.line(
                            "decode_cache_speedup_L" + n,
                            BenchmarkReport.fixed(f.getSpeedUp(), 2),
                            "cached / recompute"));
        }
        return figures;
    }
}
