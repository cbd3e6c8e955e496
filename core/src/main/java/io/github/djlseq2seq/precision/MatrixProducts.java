package io.github.djlseq2seq.precision;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/**
 * The model's matrix products, computed in one precision: every linear map and attention's two
 * batched products go through here, so a precision is one implementation of this interface. Inputs
 * and results are always float32 arrays.
 */
public interface MatrixProducts {

    /**
     * Returns the products for a precision that the device supports (see {@link
     * Bf16Support#resolve}).
     *
     * @param precision the precision
     * @return its products
     */
    static MatrixProducts of(Precision precision) {
        return precision == Precision.BF16 ? Bf16Products.INSTANCE : Fp32Products.INSTANCE;
    }

    /**
     * Returns the precision these products compute in.
     *
     * @return the precision
     */
    Precision precision();

    /**
     * Computes {@code x Wᵀ + b}.
     *
     * @param x the input {@code [..., In]}
     * @param weight the weight {@code [Out, In]}
     * @param bias the bias {@code [Out]}, or null for none
     * @return {@code [..., Out]}, float32
     */
    NDArray linear(NDArray x, NDArray weight, NDArray bias);

    /**
     * Computes the batched matrix product {@code a b}.
     *
     * @param a {@code [..., M, K]}
     * @param b {@code [..., K, N]}
     * @return {@code [..., M, N]}, float32
     */
    NDArray matMul(NDArray a, NDArray b);

    /** float32 products: DJL's own operators. */
    final class Fp32Products implements MatrixProducts {
        static final Fp32Products INSTANCE = new Fp32Products();

        private Fp32Products() {}

        /** {@inheritDoc} */
        @Override
        public Precision precision() {
            return Precision.FP32;
        }

        /** {@inheritDoc} */
        @Override
        public NDArray linear(NDArray x, NDArray weight, NDArray bias) {
            return Linear.linear(x, weight, bias).head();
        }

        /** {@inheritDoc} */
        @Override
        public NDArray matMul(NDArray a, NDArray b) {
            return a.matMul(b);
        }
    }
}
