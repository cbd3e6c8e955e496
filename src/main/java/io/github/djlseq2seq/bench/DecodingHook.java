package io.github.djlseq2seq.bench;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * HOOK for the decoding benchmark, written separately as {@value #CLASS_NAME}: runs it when that
 * class is on the classpath, else reports the decoding figures as "n/a".
 *
 * <p>Contract (what {@code bench/run.sh} reads): its {@code public static void main(String[])},
 * called with no arguments, prints one line per figure, {@code key value}, with the keys {@code
 * decode_cached_L<n>_tokens_per_s} and {@code decode_recompute_L<n>_tokens_per_s} for n = 16, 64,
 * 128 (greedy, base-cpu, batch 32, source length 32, END ignored; tokens/s = 32 × n / wall time
 * including the encoder). The PyTorch peer prints {@code decode_recompute_L<n>_tokens_per_s}.
 */
public final class DecodingHook {

    /** The decoding benchmark's class name. */
    public static final String CLASS_NAME = "io.github.djlseq2seq.inference.DecodingBenchmark";

    private DecodingHook() {}

    /**
     * Runs the decoding benchmark if present.
     *
     * @param out where the "n/a" line goes (the benchmark prints to standard output itself)
     * @return whether it ran
     */
    public static boolean run(PrintStream out) {
        Method main;
        try {
            main = Class.forName(CLASS_NAME).getMethod("main", String[].class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            out.println(
                    BenchmarkReport.line(
                            "decode", "n/a", CLASS_NAME + " is not on the classpath (yet)"));
            return false;
        }
        try {
            main.invoke(null, (Object) new String[0]);
            return true;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(CLASS_NAME + ".main is not accessible", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(CLASS_NAME + " failed", e.getCause());
        }
    }
}
