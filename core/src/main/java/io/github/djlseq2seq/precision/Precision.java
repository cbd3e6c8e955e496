package io.github.djlseq2seq.precision;

import java.util.Locale;

/**
 * The precision of the model's matrix products. Parameters, Adam moments, softmax, LayerNorm and
 * the loss stay float32 in both; only the linear maps and attention's batched products change.
 */
public enum Precision {
    /** Everything in float32. */
    FP32,
    /**
     * Mixed precision: matrix products in bfloat16 (inputs cast, float32 results), everything else
     * float32, as {@code torch.autocast("cpu", torch.bfloat16)} does for linear and matmul.
     */
    BF16;

    /**
     * Parses a precision name as written on a command line.
     *
     * @param name {@code fp32} or {@code bf16}, any case
     * @return the precision
     * @throws IllegalArgumentException for any other name
     */
    public static Precision fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "fp32":
            case "float32":
                return FP32;
            case "bf16":
            case "bfloat16":
                return BF16;
            default:
                throw new IllegalArgumentException(
                        "unknown precision '" + name + "': expected fp32 or bf16");
        }
    }

    /**
     * Returns the name used on command lines and in reports.
     *
     * @return {@code fp32} or {@code bf16}
     */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
