package io.github.djlseq2seq.model;

import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.testng.annotations.Test;

/** What the masks promise: no position sees the future, nothing sees padding. */
public class InvarianceTest {

    @Test
    public void laterDecoderTokensNeverChangeEarlierLogits() {
        try (TinyModel m = new TinyModel(NormPlacement.POST, DataType.FLOAT32, 11);
                NDManager manager = m.manager.newSubManager()) {
            Random random = new Random(2);
            NDArray source = TinyModel.paddedIds(manager, random, TinyModel.VOCAB, 6, 4);
            NDArray target = TinyModel.paddedIds(manager, random, TinyModel.VOCAB, 7, 7);
            NDArray before = m.logits(source, target);
            for (int k = 1; k < 7; k++) {
                NDArray changed = target.duplicate();
                NDIndex column = new NDIndex(":, {}", k);
                changed.set(column, target.get(column).mod(12).add(1)); // another id in 1..12
                NDArray after = m.logits(source, changed);
                double early =
                        TinyModel.maxAbsDiff(
                                before.get(new NDIndex(":, :{}, :", k)),
                                after.get(new NDIndex(":, :{}, :", k)));
                double late =
                        TinyModel.maxAbsDiff(
                                before.get(new NDIndex(":, {}:, :", k)),
                                after.get(new NDIndex(":, {}:, :", k)));
                assertTrue(early < 1e-6, "token " + k + " changed earlier logits by " + early);
                assertTrue(late > 1e-4, "token " + k + " did not change its own logits");
            }
        }
    }

    @Test
    public void sourcePaddingNeverChangesAnyLogit() {
        try (TinyModel m = new TinyModel(NormPlacement.PRE, DataType.FLOAT32, 12);
                NDManager manager = m.manager.newSubManager()) {
            NDArray source = manager.create(new int[][] {{4, 7, 2, 0}, {5, 3, 0, 0}});
            NDArray morePadding =
                    manager.create(new int[][] {{4, 7, 2, 0, 0, 0}, {5, 3, 0, 0, 0, 0}});
            NDArray target = manager.create(new int[][] {{1, 9, 3}, {1, 2, 0}});
            double diff =
                    TinyModel.maxAbsDiff(m.logits(source, target), m.logits(morePadding, target));
            assertTrue(diff < 1e-6, "extra source padding changed logits by " + diff);
        }
    }

    @Test
    public void encoderOutputAtPadPositionsIsNeverRead() {
        try (TinyModel m = new TinyModel(NormPlacement.POST, DataType.FLOAT32, 13);
                NDManager manager = m.manager.newSubManager()) {
            NDArray source = manager.create(new int[][] {{4, 7, 2, 0}, {5, 3, 0, 0}});
            NDArray target = manager.create(new int[][] {{1, 9, 3}, {1, 2, 0}});
            NDArray memory = m.block.encode(m.ps, source, false); // [B, S, D]
            NDArray noisy = memory.duplicate();
            NDArray isPad = source.eq(0).expandDims(2).toType(DataType.FLOAT32, false);
            noisy = noisy.add(isPad.mul(manager.randomNormal(memory.getShape()).mul(100)));
            NDArray clean = m.block.decode(m.ps, memory, source, target, false);
            NDArray dirty = m.block.decode(m.ps, noisy, source, target, false);
            double diff = TinyModel.maxAbsDiff(clean, dirty);
            assertTrue(diff < 1e-6, "encoder output at PAD changed logits by " + diff);
            // and the same noise at a real token does change them: the test can fail
            NDArray real =
                    memory.add(isPad.neg().add(1).mul(manager.randomNormal(memory.getShape())));
            assertTrue(
                    TinyModel.maxAbsDiff(clean, m.block.decode(m.ps, real, source, target, false))
                            > 1e-3);
        }
    }
}
