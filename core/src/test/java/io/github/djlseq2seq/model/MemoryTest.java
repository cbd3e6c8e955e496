package io.github.djlseq2seq.model;

import static org.testng.Assert.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import java.util.Random;
import org.testng.annotations.Test;

/** Forward and backward in a per-batch scope leave no live NDArray behind. */
public class MemoryTest {

    @Test
    public void twoHundredTrainingPassesDoNotLeak() {
        SoftmaxCrossEntropyLoss loss = new SoftmaxCrossEntropyLoss();
        try (TinyModel m = new TinyModel(NormPlacement.PRE, DataType.FLOAT32, 3)) {
            Random random = new Random(4);
            int afterFirst = -1;
            for (int step = 0; step < 200; step++) {
                try (NDManager batch = m.manager.newSubManager()) {
                    NDArray source = TinyModel.paddedIds(batch, random, TinyModel.VOCAB, 6, 3);
                    NDArray target = TinyModel.paddedIds(batch, random, TinyModel.VOCAB, 5, 5);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits =
                                m.block.forward(m.ps, new NDList(source, target), true).head();
                        NDArray flat = logits.reshape(-1, logits.getShape().get(2));
                        gc.backward(loss.evaluate(new NDList(target.flatten()), new NDList(flat)));
                    }
                }
                int live = m.manager.getManagedArrays().size();
                if (step == 0) {
                    afterFirst = live;
                }
                assertEquals(live, afterFirst, "live NDArrays after step " + step);
            }
        }
    }
}
