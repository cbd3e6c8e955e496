package io.github.djlseq2seq.precision;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.testng.annotations.Test;

/**
 * The bfloat16 products against float32: values and gradients agree to bfloat16's precision (8
 * significand bits: a relative rounding error of 2⁻⁸ per input), and not to float32's.
 */
public class MatrixProductsTest {

    private static final MatrixProducts FP32 = MatrixProducts.of(Precision.FP32);
    private static final MatrixProducts BF16 = MatrixProducts.of(Precision.BF16);

    /** Relative error of a bf16 product of length-K dot products: a few times 2⁻⁸. */
    private static final double BF16_TOLERANCE = 1.5e-2;

    @Test
    public void linearMatchesFloat32ToBf16Precision() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray x = m.randomNormal(new Shape(4, 5, 64));
            NDArray w = m.randomNormal(new Shape(32, 64));
            NDArray b = m.randomNormal(new Shape(32));
            NDArray exact = FP32.linear(x, w, b);
            NDArray mixed = BF16.linear(x, w, b);
            assertEquals(mixed.getDataType(), DataType.FLOAT32);
            assertEquals(mixed.getShape(), new Shape(4, 5, 32));
            double error = relativeError(mixed, exact);
            assertTrue(error < BF16_TOLERANCE, "relative error " + error);
            // not float32: bf16 rounding is visible
            assertTrue(error > 1e-5, "relative error " + error + " is float32's, not bf16's");
            double noBias = relativeError(BF16.linear(x, w, null), FP32.linear(x, w, null));
            assertTrue(noBias < BF16_TOLERANCE, "relative error without bias " + noBias);
        }
    }

    @Test
    public void matMulMatchesFloat32ToBf16Precision() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(8);
            NDArray a = m.randomNormal(new Shape(2, 4, 6, 16));
            NDArray b = m.randomNormal(new Shape(2, 4, 16, 9));
            NDArray mixed = BF16.matMul(a, b);
            assertEquals(mixed.getShape(), new Shape(2, 4, 6, 9));
            double error = relativeError(mixed, FP32.matMul(a, b));
            assertTrue(error < BF16_TOLERANCE && error > 1e-5, "relative error " + error);
        }
    }

    @Test
    public void gradientsMatchFloat32ToBf16Precision() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(9);
            NDArray x = m.randomNormal(new Shape(3, 7, 48));
            NDArray w = m.randomNormal(new Shape(24, 48));
            NDArray b = m.randomNormal(new Shape(24));
            NDArray[] exact = linearGradients(x, w, b, FP32);
            NDArray[] mixed = linearGradients(x, w, b, BF16);
            for (int i = 0; i < 3; i++) {
                assertEquals(mixed[i].getDataType(), DataType.FLOAT32);
                double error = relativeError(mixed[i], exact[i]);
                assertTrue(error < BF16_TOLERANCE, "gradient " + i + " relative error " + error);
            }
        }
    }

    /** Gradients of sum(linear(x, w, b)²) with respect to fresh copies of x, w and b. */
    private static NDArray[] linearGradients(
            NDArray x, NDArray w, NDArray b, MatrixProducts products) {
        NDArray[] inputs = {x.duplicate(), w.duplicate(), b.duplicate()};
        for (NDArray p : inputs) {
            p.setRequiresGradient(true);
        }
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = products.linear(inputs[0], inputs[1], inputs[2]);
            collector.backward(y.square().sum());
        }
        NDArray[] gradients = new NDArray[3];
        for (int i = 0; i < 3; i++) {
            gradients[i] = inputs[i].getGradient();
        }
        return gradients;
    }

    /** ‖a − b‖ / ‖b‖. */
    static double relativeError(NDArray a, NDArray b) {
        return a.sub(b).norm().getFloat() / b.norm().getFloat();
    }
}
