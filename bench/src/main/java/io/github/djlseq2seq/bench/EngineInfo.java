package io.github.djlseq2seq.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Names the engine and its thread settings, and reads the machine's load: on a shared machine a
 * busy neighbour slows every multi-threaded (OpenMP) operation many times over, so a figure is only
 * worth its load average.
 */
public final class EngineInfo {

    private EngineInfo() {}

    /**
     * Describes the default engine.
     *
     * @return e.g. {@code PyTorch 2.7.1, intra-op threads 2, inter-op threads 2, 2 CPUs}
     */
    public static String describe() {
        Engine engine = Engine.getInstance();
        String text = engine.getEngineName() + " " + engine.getVersion();
        if ("PyTorch".equals(engine.getEngineName())) {
            text +=
                    ", intra-op threads "
                            + JniUtils.getNumThreads()
                            + ", inter-op threads "
                            + JniUtils.getNumInteropThreads();
        }
        return text + ", " + Runtime.getRuntime().availableProcessors() + " CPUs";
    }

    /**
     * Reads the 1-minute load average (runnable threads, this process included).
     *
     * @return the load, or NaN where {@code /proc/loadavg} cannot be read
     */
    public static double loadAverage() {
        try {
            return Double.parseDouble(
                    Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
