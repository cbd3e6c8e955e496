package io.github.djlseq2seq.precision;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where bfloat16 products are worth using: on a CPU with native bfloat16 instructions
 * ({@code avx512_bf16} or {@code amx_bf16} among the flags of {@code /proc/cpuinfo}) and on a CUDA
 * GPU of compute capability 8.0 or more (Ampere and later). Elsewhere libtorch still computes
 * bfloat16, but by emulation and slower than float32, so {@link #resolve} falls back to float32
 * with one logged note.
 *
 * <p>The decision is injectable ({@link #of}) so that the fallback can be tested on any machine.
 */
public final class Bf16Support {

    private static final Logger logger = LoggerFactory.getLogger(Bf16Support.class);

    /** The CPU flags that mean native bfloat16 arithmetic. */
    static final Set<String> CPU_FLAGS = Set.of("avx512_bf16", "amx_bf16");

    private static final Bf16Support SYSTEM =
            new Bf16Support(
                    device ->
                            Device.Type.GPU.equals(device.getDeviceType())
                                    ? cudaHasBf16(device.getDeviceId())
                                    : cpuHasBf16(Paths.get("/proc/cpuinfo")));

    private final Predicate<Device> supported;
    private final Set<String> noted = ConcurrentHashMap.newKeySet();

    private Bf16Support(Predicate<Device> supported) {
        this.supported = supported;
    }

    /**
     * Returns the decision for this machine: CPU flags from {@code /proc/cpuinfo}, the compute
     * capability of CUDA devices from the CUDA runtime.
     *
     * @return the machine's support
     */
    public static Bf16Support system() {
        return SYSTEM;
    }

    /**
     * Returns a support decided by a predicate, e.g. {@code device -> false} to test the fallback.
     *
     * @param supported whether bfloat16 is native on a device
     * @return the support
     */
    public static Bf16Support of(Predicate<Device> supported) {
        return new Bf16Support(supported);
    }

    /**
     * Returns whether a device computes bfloat16 natively.
     *
     * @param device the device
     * @return true when bfloat16 products are worth using there
     */
    public boolean supports(Device device) {
        return supported.test(device);
    }

    /**
     * Returns the precision to use on a device: the requested one, or float32 (with one logged note
     * per device) when bfloat16 was requested and the device has no native bfloat16.
     *
     * @param requested the requested precision
     * @param device the device the model runs on
     * @return the precision to use
     */
    public Precision resolve(Precision requested, Device device) {
        if (requested != Precision.BF16 || supports(device)) {
            return requested;
        }
        if (noted.add(device.toString())) {
            logger.warn(
                    "bf16 requested but {} has no native bfloat16 (CPU flags avx512_bf16/amx_bf16,"
                            + " or CUDA compute capability ≥ 8.0): using fp32",
                    device);
        }
        return Precision.FP32;
    }

    /**
     * Returns whether a {@code /proc/cpuinfo} text lists a bfloat16 flag.
     *
     * @param cpuinfo the text
     * @return true when a {@code flags} line has {@code avx512_bf16} or {@code amx_bf16}
     */
    static boolean cpuFlagsHaveBf16(String cpuinfo) {
        return cpuinfo.lines()
                .filter(line -> line.startsWith("flags"))
                .flatMap(line -> Arrays.stream(line.substring(line.indexOf(':') + 1).split("\\s+")))
                .anyMatch(CPU_FLAGS::contains);
    }

    private static boolean cpuHasBf16(Path cpuinfo) {
        try {
            return Files.isReadable(cpuinfo) && cpuFlagsHaveBf16(Files.readString(cpuinfo));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean cudaHasBf16(int deviceId) {
        try {
            String capability = CudaUtils.getComputeCapability(deviceId); // e.g. "86"
            return Integer.parseInt(capability.substring(0, capability.length() - 1)) >= 8;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return false;
        }
    }
}
