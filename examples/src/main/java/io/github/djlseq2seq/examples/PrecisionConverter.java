package io.github.djlseq2seq.examples;

import io.github.djlseq2seq.precision.Precision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --precision fp32|bf16}; another value is a usage error naming the choices. */
public final class PrecisionConverter implements ITypeConverter<Precision> {

    /** The help text of {@code --precision}. */
    static final String HELP =
            "matrix products in fp32 or bf16 (bf16: float32 parameters, bf16 products; fp32 with"
                    + " a logged note where the CPU has no avx512_bf16/amx_bf16)";

    /** {@inheritDoc} */
    @Override
    public Precision convert(String value) {
        try {
            return Precision.fromName(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
