package io.github.djlseq2seq.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident set size, as the kernel reports it in {@code /proc/self/status}. */
public final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {}

    /**
     * Reads {@code VmRSS}: Java heap, native (libtorch) allocations and mapped code together.
     *
     * @return the resident memory in KiB, or -1 where {@code /proc} does not exist (not Linux)
     */
    public static long kib() {
        if (!Files.exists(STATUS)) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns the Java heap the JVM has committed, part of the resident memory once touched. It
     * grows in the first few hundred steps (each step leaves about 1 MiB of small Java objects to
     * collect) unless the heap is fixed ({@code -Xms} = {@code -Xmx}, {@code -XX:+AlwaysPreTouch}),
     * which is why the memory check runs with a fixed heap.
     *
     * @return the committed heap in KiB
     */
    public static long heapCommittedKib() {
        return Runtime.getRuntime().totalMemory() >> 10;
    }
}
