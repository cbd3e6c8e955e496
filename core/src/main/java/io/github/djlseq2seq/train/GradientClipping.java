package io.github.djlseq2seq.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Global-norm gradient clipping, as PyTorch's {@code torch.nn.utils.clip_grad_norm_}: all gradients
 * are treated as one vector, and when its L2 norm exceeds the limit, every gradient is scaled by
 * {@code maxNorm / (norm + 1e-6)}.
 *
 * <p>The factor is applied by {@link ResumableAdam#setGradientScale(float)} inside the update
 * rather than by rewriting the gradients, so clipping costs no extra pass over them.
 */
public final class GradientClipping {

    private GradientClipping() {}

    /**
     * Returns the factor that brings a global norm down to {@code maxNorm}: {@code maxNorm / (norm
     * + 1e-6)}, or 1 when the norm is within the limit or {@code maxNorm} is 0 or less.
     *
     * @param norm the global L2 norm of the gradients, as {@link #norm} computes it
     * @param maxNorm the limit; 0 or less turns clipping off
     * @return the scale factor in (0, 1]
     */
    public static float scale(double norm, float maxNorm) {
        if (maxNorm <= 0) {
            return 1f;
        }
        return (float) Math.min(1.0, maxNorm / (norm + 1e-6));
    }

    /**
     * Returns the L2 norm of all gradients taken as one vector; NaN or infinite when a gradient
     * holds NaN or infinity, or when the sum of squares overflows float32.
     *
     * <p>Temporaries live in the gradients' managers; call it inside a scope.
     *
     * @param gradients the gradients, each of any shape
     * @return the norm, 0 for no gradients
     */
    public static double norm(Iterable<NDArray> gradients) {
        NDArray sumOfSquares = null;
        for (NDArray g : gradients) {
            NDArray s = g.norm().square(); // [], with no gradient-sized temporary
            sumOfSquares = sumOfSquares == null ? s : sumOfSquares.add(s);
        }
        if (sumOfSquares == null) {
            return 0;
        }
        return Math.sqrt(sumOfSquares.toType(DataType.FLOAT64, false).getDouble());
    }
}
