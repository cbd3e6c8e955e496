package io.github.djlseq2seq.precision;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;

/**
 * bfloat16 products through TorchScript: each operator is a one-method TorchScript module ({@link
 * TorchScriptArchive}) that casts its float32 inputs to bfloat16 ({@code torch.to(x, 15)}),
 * multiplies, and casts the product back to float32 ({@code torch.to(y, 6)}).
 *
 * <p>Why this is sound: DJL's PyTorch engine runs a TorchScript method on the same libtorch tensors
 * that back DJL's NDArrays, and with autograd on (inside a {@code GradientCollector}) libtorch
 * records the method's operators like any other, so the backward pass runs the products' backward
 * in bfloat16 and the casts' backward hands float32 gradients to the float32 parameters. No
 * bfloat16 array is ever returned to DJL (its PyTorch engine cannot represent one). What it costs:
 * the casts (one read and one bf16 write of each input, one of the product), which {@code
 * torch.autocast} pays too, and one TorchScript interpreter call per product (tens of
 * microseconds).
 *
 * <p>The modules are loaded once per device, into a manager that lives as long as the JVM.
 */
final class Bf16Products implements MatrixProducts {

    static final Bf16Products INSTANCE = new Bf16Products();

    /** bfloat16 and float32 as TorchScript's serialised code writes them (c10::ScalarType). */
    private static final int BF16 = 15;

    private static final int FP32 = 6;

    private static final byte[] LINEAR = module("Bf16Linear", "torch.linear", "x", "w", "b");

    private static final byte[] LINEAR_NO_BIAS =
            module("Bf16LinearNoBias", "torch.linear", "x", "w");

    private static final byte[] MAT_MUL = module("Bf16MatMul", "torch.matmul", "a", "b");

    private final Map<Device, Modules> modules = new ConcurrentHashMap<>();

    private Bf16Products() {}

    /** {@inheritDoc} */
    @Override
    public Precision precision() {
        return Precision.BF16;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        Modules m = modules(x.getDevice());
        return bias == null
                ? call(m.linearNoBias, plain(x), plain(weight))
                : call(m.linear, plain(x), plain(weight), plain(bias));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray matMul(NDArray a, NDArray b) {
        return call(modules(a.getDevice()).matMul, plain(a), plain(b));
    }

    /**
     * Runs a module with autograd as the caller has it: recorded inside a {@code
     * GradientCollector}, not outside.
     */
    private static NDArray call(PtSymbolBlock module, NDArray... inputs) {
        return IValueUtils.forward(module, new NDList(inputs), true).singletonOrThrow();
    }

    /**
     * DJL's PyTorch engine reads some array names as instructions (a dot groups arrays into a
     * dictionary, {@code module_method:} picks a method); a named input is passed as an unnamed
     * view.
     */
    private static NDArray plain(NDArray x) {
        return x.getName() == null || x.getName().matches("\\w*") ? x : x.reshape(x.getShape());
    }

    /**
     * Writes a module whose forward casts its tensor inputs to bf16, applies one operator and casts
     * the result to fp32, e.g. for {@code ("Bf16MatMul", "torch.matmul", "a", "b")}:
     *
     * <pre>
     *   def forward(self: __torch__.Bf16MatMul,
     *     a: Tensor,
     *     b: Tensor) -> Tensor:
     *     _0 = torch.matmul(torch.to(a, 15), torch.to(b, 15))
     *     return torch.to(_0, 6)
     * </pre>
     */
    private static byte[] module(String className, String operator, String... inputs) {
        StringBuilder code = new StringBuilder("  def forward(self: __torch__." + className);
        StringJoiner casts = new StringJoiner(", ", operator + "(", ")");
        for (String input : inputs) {
            code.append(",\n    ").append(input).append(": Tensor");
            casts.add("torch.to(" + input + ", " + BF16 + ")");
        }
        code.append(") -> Tensor:\n    _0 = ").append(casts).append('\n');
        code.append("    return torch.to(_0, ").append(FP32).append(")\n");
        return TorchScriptArchive.write(className, code.toString());
    }

    private Modules modules(Device device) {
        return modules.computeIfAbsent(device, Modules::new);
    }

    /** The three modules loaded on one device. */
    private static final class Modules {
        final PtSymbolBlock linear;
        final PtSymbolBlock linearNoBias;
        final PtSymbolBlock matMul;

        Modules(Device device) {
            NDManager manager = NDManager.newBaseManager(device, "PyTorch");
            if (!(manager instanceof PtNDManager)) {
                manager.close();
                throw new IllegalStateException(
                        "bf16 precision needs DJL's PyTorch engine, found "
                                + manager.getEngine().getEngineName());
            }
            PtNDManager pt = (PtNDManager) manager;
            linear = load(pt, LINEAR);
            linearNoBias = load(pt, LINEAR_NO_BIAS);
            matMul = load(pt, MAT_MUL);
        }

        private static PtSymbolBlock load(PtNDManager manager, byte[] archive) {
            try {
                return JniUtils.loadModule(manager, new ByteArrayInputStream(archive), true, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
