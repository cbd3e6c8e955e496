package io.github.djlseq2seq.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The rate of one large float32 matrix product on the engine in use: the practical upper bound that
 * the training step, made mostly of smaller products, is compared with.
 */
public final class MatmulBenchmark {

    private MatmulBenchmark() {}

    /**
     * Times {@code n×n · n×n} products and returns the median rate.
     *
     * @param n the matrix size, 1024 for the report
     * @param warmup untimed products first
     * @param repeats timed products (the median is taken)
     * @return GFLOP/s, counting {@code 2 n³} FLOPs per product
     */
    public static double gflops(int n, int warmup, int repeats) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomUniform(-1, 1, new Shape(n, n));
            NDArray b = manager.randomUniform(-1, 1, new Shape(n, n));
            double[] seconds = new double[repeats];
            for (int i = 0; i < warmup + repeats; i++) {
                long start = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0); // the product is complete once an element is read
                }
                if (i >= warmup) {
                    seconds[i - warmup] = (System.nanoTime() - start) / 1e9;
                }
            }
            return 2.0 * n * n * n / Samples.median(seconds) / 1e9;
        }
    }
}
