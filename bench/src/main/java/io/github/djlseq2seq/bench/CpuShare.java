package io.github.djlseq2seq.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The share of the machine's CPU time that <em>other</em> processes used while a measurement ran:
 * on a shared machine, the contamination of a figure. With 2 intra-op threads on 2 cores, even one
 * busy neighbour (50%) can make every parallel operation wait for a descheduled thread and the step
 * many times slower, so figures with more than a few percent are not worth reporting.
 *
 * <p>From {@code /proc/stat} (all CPUs: busy and idle ticks) and {@code /proc/self/stat} (this
 * process's user and system ticks): {@code others = (Δbusy − Δown) / Δ(busy + idle)}.
 */
public final class CpuShare {

    private final long[] start;

    private CpuShare(long[] start) {
        this.start = start;
    }

    /**
     * Starts a measurement.
     *
     * @return the measurement
     */
    public static CpuShare start() {
        return new CpuShare(ticks());
    }

    /**
     * Returns the share of all CPUs' time used by other processes since {@link #start}.
     *
     * @return percent of the machine (100 = every core busy with others), or NaN without {@code
     *     /proc}
     */
    public double othersPercent() {
        long[] now = ticks();
        if (now == null || start == null) {
            return Double.NaN;
        }
        long busy = now[0] - start[0];
        long total = now[1] - start[1];
        long own = now[2] - start[2];
        return total <= 0 ? 0 : Math.max(0, 100.0 * (busy - own) / total);
    }

    /** {busy, busy + idle} over all CPUs, and this process's user + system ticks; or null. */
    private static long[] ticks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            long idle = 0;
            for (int i = 1; i < Math.min(cpu.length, 9); i++) { // user … steal
                long value = Long.parseLong(cpu[i]);
                if (i == 4 || i == 5) { // idle, iowait
                    idle += value;
                } else {
                    busy += value;
                }
            }
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = self.substring(self.lastIndexOf(')') + 2).split(" ");
            long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            return new long[] {busy, busy + idle, own};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
