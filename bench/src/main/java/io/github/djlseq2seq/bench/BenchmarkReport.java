package io.github.djlseq2seq.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Formats figures as report lines {@code key value [note]}: the key is one word, the value one
 * number, so {@code bench/run.sh} (and the PyTorch peer, which prints the same keys) can be read
 * with {@code awk '$1 == key {print $2}'}.
 */
public final class BenchmarkReport {

    private BenchmarkReport() {}

    /**
     * Formats one report line.
     *
     * @param key the figure's name, one word
     * @param value the value, one word
     * @param note what it means, or empty
     * @return the line
     */
    public static String line(String key, String value, String note) {
        return String.format("%-26s %-10s %s", key, value, note).stripTrailing();
    }

    /**
     * Formats the lines of a training benchmark.
     *
     * @param f the figures
     * @param matmulGflops the matrix-product rate measured in the same run, or NaN
     * @return the lines
     */
    public static List<String> training(TrainingFigures f, double matmulGflops) {
        BenchSettings s = f.settings();
        List<String> lines = new ArrayList<>();
        lines.add(line("train_settings", "base-cpu", s.toString()));
        lines.add(line("train_parameters", Long.toString(f.parameters()), ""));
        lines.add(
                line(
                        "train_ms_per_step",
                        fixed(f.msPerStep(), 1),
                        "median of " + s.getTimedSteps() + " steps"));
        lines.add(
                line(
                        "train_tokens_per_s",
                        fixed(f.targetTokensPerSecond(), 0),
                        "target tokens (B×T per step)"));
        lines.add(
                line(
                        "train_gflop_per_step",
                        fixed(f.flopsPerStep() / 1e9, 2),
                        "3 × forward matrix products (bench/README.md)"));
        lines.add(line("train_gflops", fixed(f.gflops(), 1), "achieved model FLOP rate"));
        lines.add(othersLine("train_others_cpu_pct", f.othersCpuPercent()));
        if (!Double.isNaN(matmulGflops)) {
            lines.add(
                    line(
                            "train_matmul_fraction",
                            fixed(f.gflops() / matmulGflops, 3),
                            "of the 1024³ matmul rate"));
        }
        lines.add(
                line(
                        "train_loss_first_last",
                        fixed(f.firstLoss(), 3),
                        "→ "
                                + fixed(f.lastLoss(), 3)
                                + " (first ≈ ln 8000 = 8.99; falls as the 8 repeated random"
                                + " batches are learnt)"));
        if (f.rssKibFirst() > 0) {
            lines.add(
                    line(
                            "rss_mib_step_" + BenchSettings.FIRST_MEMORY_STEP,
                            mib(f.rssKibFirst()),
                            "VmRSS; Java heap committed " + mib(f.heapKibFirst()) + " MiB"));
        }
        if (f.rssKibLast() > 0) {
            lines.add(
                    line(
                            "rss_mib_step_" + s.getMemorySteps(),
                            mib(f.rssKibLast()),
                            "VmRSS; Java heap committed " + mib(f.heapKibLast()) + " MiB"));
            lines.add(
                    line(
                            "rss_growth_pct",
                            fixed(f.rssGrowthPercent(), 2),
                            String.format(
                                    java.util.Locale.ROOT,
                                    "from step %d to %d (%+.1f MiB)",
                                    BenchSettings.FIRST_MEMORY_STEP,
                                    s.getMemorySteps(),
                                    (f.rssKibLast() - f.rssKibFirst()) / 1024.0)));
        }
        return lines;
    }

    /**
     * Formats the share of CPU time that other processes took during a measurement.
     *
     * @param key the line's key
     * @param percent the share, see {@link CpuShare}
     * @return the line
     */
    public static String othersLine(String key, double percent) {
        return line(
                key,
                fixed(percent, 1),
                percent > 5
                        ? "% of the CPUs used by other processes: NOT REPRESENTATIVE"
                        : "% of the CPUs used by other processes");
    }

    /**
     * Formats a number with a fixed count of decimals (a dot, whatever the locale).
     *
     * @param value the number
     * @param decimals the decimals
     * @return the text
     */
    public static String fixed(double value, int decimals) {
        return String.format(java.util.Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String mib(long kib) {
        return fixed(kib / 1024.0, 1);
    }
}
