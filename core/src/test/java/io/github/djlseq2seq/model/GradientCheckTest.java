package io.github.djlseq2seq.model;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.github.djlseq2seq.model.AttentionLayout.Projection;
import java.nio.DoubleBuffer;
import java.util.Map;
import org.testng.annotations.Test;

/** Autograd agrees with central finite differences, in float64, for a tiny model. */
public class GradientCheckTest {

    private static final SoftmaxCrossEntropyLoss LOSS = new SoftmaxCrossEntropyLoss();

    @Test
    public void autogradMatchesFiniteDifferences() {
        for (NormPlacement norm : NormPlacement.values()) {
            try (TinyModel m = new TinyModel(norm, DataType.FLOAT64, 5);
                    NDManager manager = m.manager.newSubManager()) {
                NDArray source = manager.create(new int[][] {{3, 7, 2, 9}, {4, 1, 0, 0}});
                NDArray target = manager.create(new int[][] {{1, 5, 8}, {1, 6, 0}});
                NDArray labels = manager.create(new int[][] {{5, 8, 2}, {6, 2, 3}});

                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(loss(m, source, target, labels));
                }
                Map<String, int[]> probes =
                        Map.of(
                                "01sourceEmbedding_weight",
                                new int[] {7, 3},
                                "03encoder_01layer0_01selfAttention_"
                                        + AttentionLayout.IN_PROJECTION_WEIGHT,
                                new int[] {row(false, Projection.QUERY, 2), 5},
                                "04decoder_02layer1_03crossAttention_"
                                        + AttentionLayout.KEY_VALUE_WEIGHT,
                                new int[] {row(true, Projection.VALUE, 4), 1},
                                "04decoder_01layer0_01selfAttention_"
                                        + AttentionLayout.IN_PROJECTION_WEIGHT,
                                new int[] {row(false, Projection.KEY, 0), 9},
                                "04decoder_02layer1_05feedForward_02contract_bias",
                                new int[] {3},
                                "05projection_weight",
                                new int[] {8, 2});
                for (Map.Entry<String, int[]> probe : probes.entrySet()) {
                    Parameter p = m.block.getParameters().get(probe.getKey());
                    NDArray array = p.getArray();
                    int flat = flatIndex(array, probe.getValue());
                    double analytic = array.getGradient().toDoubleArray()[flat];
                    double numeric = centralDifference(m, array, flat, source, target, labels);
                    assertEquals(
                            analytic,
                            numeric,
                            1e-6 + 1e-4 * Math.abs(numeric),
                            norm + " " + probe.getKey());
                    assertTrue(Math.abs(numeric) > 1e-8, probe.getKey() + " has no gradient");
                }
            }
        }
    }

    /** Row {@code r} of a projection inside the stacked in-projection of TinyModel (D 16). */
    private static int row(boolean cross, Projection projection, int r) {
        return AttentionLayout.rowOffset(cross, projection, 16) + r;
    }

    private static NDArray loss(TinyModel m, NDArray source, NDArray target, NDArray labels) {
        NDArray logits = m.block.forward(m.ps, new NDList(source, target), true).head();
        long vocab = logits.getShape().get(2);
        return LOSS.evaluate(new NDList(labels.flatten()), new NDList(logits.reshape(-1, vocab)));
    }

    private static double centralDifference(
            TinyModel m, NDArray array, int flat, NDArray source, NDArray target, NDArray labels) {
        double h = 1e-6;
        double[] values = array.toDoubleArray();
        double original = values[flat];
        values[flat] = original + h;
        array.set(DoubleBuffer.wrap(values));
        double plus = loss(m, source, target, labels).getDouble();
        values[flat] = original - h;
        array.set(DoubleBuffer.wrap(values));
        double minus = loss(m, source, target, labels).getDouble();
        values[flat] = original;
        array.set(DoubleBuffer.wrap(values));
        return (plus - minus) / (2 * h);
    }

    private static int flatIndex(NDArray array, int[] index) {
        long[] shape = array.getShape().getShape();
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            flat = (int) (flat * shape[i] + index[i]);
        }
        return flat;
    }
}
