package io.github.djlseq2seq.train;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import org.testng.annotations.Test;

/**
 * The padded loss against the example of the specification, docs/SPEC.md §3, a hand computation and
 * DJL's own loss.
 */
public class PaddedCrossEntropyLossTest {

    private static double logSumExp(double... z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (double v : z) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    @Test
    public void workedExample() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits =
                    manager.create(new float[] {2.0f, 1.0f, 0.1f, 3.0f, -1.0f}, new Shape(1, 1, 5));
            NDArray label = manager.create(new int[][] {{3}});
            float loss =
                    PaddedCrossEntropyLoss.builder()
                            .build()
                            .evaluate(new NDList(label), new NDList(logits))
                            .getFloat();
            assertEquals(loss, 0.4552f, 5e-5);
        }
    }

    @Test
    public void paddedBatchEqualsHandComputation() {
        double[][][] z = {
            {{1, 2, 0.5, -1}, {0.3, 0.2, 0.1, 3}, {5, 5, 5, 5}},
            {{-2, 0, 2, 1}, {9, 9, 9, 9}, {9, 9, 9, 9}}
        };
        int[][] y = {{1, 3, 0}, {2, 0, 0}}; // PAD = 0 at the end of each row
        double sum = 0;
        double smoothSum = 0;
        int count = 0;
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 3; t++) {
                if (y[b][t] == 0) {
                    continue;
                }
                double lse = logSumExp(z[b][t]);
                double nll = lse - z[b][t][y[b][t]];
                double uniform = 0;
                for (double v : z[b][t]) {
                    uniform += (lse - v) / 4;
                }
                sum += nll;
                smoothSum += 0.9 * nll + 0.1 * uniform;
                count++;
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(flatten(z), new Shape(2, 3, 4));
            NDList labels = new NDList(manager.create(y));
            NDList predictions = new NDList(logits);
            PaddedCrossEntropyLoss.Builder b = PaddedCrossEntropyLoss.builder();
            float mean = b.build().evaluate(labels, predictions).getFloat();
            float total =
                    b.optReduction(PaddedCrossEntropyLoss.Reduction.SUM)
                            .build()
                            .evaluate(labels, predictions)
                            .getFloat();
            float smoothed =
                    PaddedCrossEntropyLoss.builder()
                            .optLabelSmoothing(0.1f)
                            .build()
                            .evaluate(labels, predictions)
                            .getFloat();
            assertEquals(total, sum, 1e-5);
            assertEquals(mean, sum / count, 1e-5);
            assertEquals(smoothed, smoothSum / count, 1e-5);
            assertEquals(
                    PaddedCrossEntropyLoss.builder().build().countTargets(labels.head()).getLong(),
                    3L);
        }
    }

    @Test
    public void noSmoothingEqualsDjlSoftmaxCrossEntropyOnUnpaddedData() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            NDArray logits = manager.randomNormal(new Shape(4, 6, 9));
            NDArray labels = manager.randomInteger(1, 9, new Shape(4, 6), DataType.INT32);
            float ours =
                    PaddedCrossEntropyLoss.builder()
                            .build()
                            .evaluate(new NDList(labels), new NDList(logits))
                            .getFloat();
            float djl =
                    new SoftmaxCrossEntropyLoss()
                            .evaluate(
                                    new NDList(labels.flatten()), new NDList(logits.reshape(-1, 9)))
                            .getFloat();
            assertEquals(ours, djl, 1e-6);
        }
    }

    private static float[] flatten(double[][][] z) {
        float[] f = new float[z.length * z[0].length * z[0][0].length];
        int i = 0;
        for (double[][] plane : z) {
            for (double[] row : plane) {
                for (double v : row) {
                    f[i++] = (float) v;
                }
            }
        }
        return f;
    }
}
