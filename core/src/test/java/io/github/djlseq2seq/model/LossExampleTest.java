package io.github.djlseq2seq.model;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import org.testng.annotations.Test;

/** The specification, docs/SPEC.md §3: the worked cross-entropy example, through DJL's own loss. */
public class LossExampleTest {

    @Test
    public void workedExample() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[][] {{2.0f, 1.0f, 0.1f, 3.0f, -1.0f}});
            float[] softmax = logits.softmax(-1).toFloatArray();
            float[] expected = {0.2333f, 0.0858f, 0.0349f, 0.6343f, 0.0116f};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(softmax[i], expected[i], 5e-5, "softmax[" + i + "]");
            }
            NDArray label = manager.create(new int[] {3});
            float loss =
                    new SoftmaxCrossEntropyLoss()
                            .evaluate(new NDList(label), new NDList(logits))
                            .getFloat();
            assertEquals(loss, 0.4552f, 5e-5);
            assertEquals(loss, (float) -Math.log(softmax[3]), 1e-6);
        }
    }

    @Test
    public void hugeLogitsGiveFiniteLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[][] {{1e4f, -1e4f, 0f, 5e3f, -1e4f}});
            NDArray label = manager.create(new int[] {1});
            float loss =
                    new SoftmaxCrossEntropyLoss()
                            .evaluate(new NDList(label), new NDList(logits))
                            .getFloat();
            assertTrue(Float.isFinite(loss), "loss " + loss);
            assertEquals(loss, 2e4f, 1f); // -(-1e4) + log Σ exp ≈ 1e4 + 1e4
        }
    }
}
