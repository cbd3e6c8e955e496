package io.github.djlseq2seq.model;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Cached (incremental) decoding through {@link IncrementalState} equals the full parallel pass over
 * the growing prefix, and holds exactly one key and one value array per attention block.
 */
public class IncrementalDecodingTest {

    private static final int START = 2;
    private static final int STEPS = 12;

    @DataProvider
    public Object[][] placements() {
        return new Object[][] {{NormPlacement.POST}, {NormPlacement.PRE}};
    }

    /** Each cached step gives the logits of the full pass's last position, within 1e-5. */
    @Test(dataProvider = "placements")
    public void cachedStepsEqualFullRecomputation(NormPlacement norm) {
        try (TinyModel m = new TinyModel(norm, DataType.FLOAT32, 11);
                NDManager call = m.manager.newSubManager()) {
            NDArray source = TinyModel.paddedIds(call, new Random(2), TinyModel.VOCAB, 7, 3, 5);
            NDArray memory = m.block.encode(m.ps, source, false); // [B, S, D]
            IncrementalState state = new IncrementalState(call);
            NDArray prefix = call.full(new Shape(3, 1), START, DataType.INT32); // [B, t]
            double worst = 0;
            for (int t = 0; t < STEPS; t++) {
                try (NDManager step = call.newSubManager()) {
                    NDArray cached = cachedStep(m, memory, source, lastColumn(prefix, step), state);
                    NDArray full = fullLastPosition(m, memory, source, prefix); // [B, 1, V]
                    worst = Math.max(worst, TinyModel.maxAbsDiff(cached, full));
                    NDArray next = full.argMax(2); // [B, 1], the full pass chooses
                    assertEquals(cached.argMax(2).toLongArray(), next.toLongArray(), "step " + t);
                    prefix = append(prefix, next, call);
                }
                assertEquals(state.getLength(), t + 1);
            }
            assertTrue(worst < 1e-5, "max |cached - full| = " + worst);
        }
    }

    /** A step of several positions uses the causal mask shifted by the cached length. */
    @Test(dataProvider = "placements")
    public void multiPositionStepsEqualFullPass(NormPlacement norm) {
        try (TinyModel m = new TinyModel(norm, DataType.FLOAT32, 5);
                NDManager call = m.manager.newSubManager()) {
            Random random = new Random(6);
            NDArray source = TinyModel.paddedIds(call, random, TinyModel.VOCAB, 6, 4);
            NDArray target = TinyModel.paddedIds(call, random, TinyModel.VOCAB, 9, 9); // no PAD
            NDArray memory = m.block.encode(m.ps, source, false);
            NDArray full = m.block.decode(m.ps, memory, source, target, false); // [B, 9, V]
            IncrementalState state = new IncrementalState(call);
            long[][] chunks = {{0, 3}, {3, 4}, {4, 9}};
            for (long[] chunk : chunks) {
                try (NDManager step = call.newSubManager()) {
                    NDIndex columns = new NDIndex(":, {}:{}", chunk[0], chunk[1]);
                    NDArray cached =
                            cachedStep(m, memory, source, target.get(step, columns), state);
                    NDArray expected = full.get(new NDIndex(":, {}:{}, :", chunk[0], chunk[1]));
                    double diff = TinyModel.maxAbsDiff(cached, expected);
                    assertTrue(diff < 1e-5, "positions " + chunk[0] + ".. differ by " + diff);
                }
            }
            assertEquals(state.getLength(), 9);
        }
    }

    /** Between steps the state holds two arrays per attention block, and nothing else leaks. */
    @Test
    public void stateHoldsOneKeyAndValuePerAttention() {
        try (TinyModel m = new TinyModel(NormPlacement.PRE, DataType.FLOAT32, 3);
                NDManager call = m.manager.newSubManager()) {
            NDArray source = TinyModel.paddedIds(call, new Random(1), TinyModel.VOCAB, 8, 2);
            NDArray memory = m.block.encode(m.ps, source, false);
            int callArrays = call.getManagedArrays().size();
            try (NDManager cacheManager = call.newSubManager()) {
                IncrementalState state = new IncrementalState(cacheManager);
                int expected = 2 * 2 * m.block.getConfig().decoderLayers(); // self + cross
                for (int t = 0; t < 20; t++) {
                    try (NDManager step = call.newSubManager()) {
                        NDArray ids = step.full(new Shape(2, 1), 4 + t % 5, DataType.INT32);
                        cachedStep(m, memory, source, ids, state);
                    }
                    assertEquals(state.arrays().size(), expected, "cached arrays, step " + t);
                    assertEquals(cacheManager.getManagedArrays().size(), expected, "step " + t);
                    assertEquals(call.getManagedArrays().size(), callArrays + expected);
                    long times = 0; // self caches hold t + 1 positions, cross caches S
                    for (NDArray array : state.arrays()) {
                        times += array.getShape().get(2);
                    }
                    assertEquals(times, expected / 2 * (t + 1 + source.getShape().get(1)));
                }
            }
            assertEquals(call.getManagedArrays().size(), callArrays);
        }
    }

    /** Reordering the state's rows equals decoding the reordered batch from scratch. */
    @Test
    public void reorderKeepsTheChosenRows() {
        try (TinyModel m = new TinyModel(NormPlacement.POST, DataType.FLOAT32, 8);
                NDManager call = m.manager.newSubManager()) {
            Random random = new Random(3);
            NDArray source = TinyModel.paddedIds(call, random, TinyModel.VOCAB, 5, 7, 3);
            NDArray target = TinyModel.paddedIds(call, random, TinyModel.VOCAB, 6, 6, 6);
            NDArray memory = m.block.encode(m.ps, source, false);
            IncrementalState state = new IncrementalState(call);
            try (NDManager step = call.newSubManager()) {
                cachedStep(m, memory, source, target.get(step, new NDIndex(":, :4")), state);
            }
            NDArray rows = call.create(new long[] {2, 0, 0});
            state.reorder(rows);
            NDArray source2 = source.get(rows);
            NDArray target2 = target.get(rows);
            NDArray memory2 = m.block.encode(m.ps, source2, false);
            try (NDManager step = call.newSubManager()) {
                NDArray cached =
                        cachedStep(
                                m,
                                memory2,
                                source2,
                                target2.get(step, new NDIndex(":, 4:")),
                                state);
                NDArray full =
                        m.block
                                .decode(m.ps, memory2, source2, target2, false)
                                .get(new NDIndex(":, 4:, :"));
                double diff = TinyModel.maxAbsDiff(cached, full);
                assertTrue(diff < 1e-5, "reordered rows differ by " + diff);
            }
        }
    }

    private static NDArray cachedStep(
            TinyModel m, NDArray memory, NDArray source, NDArray ids, IncrementalState state) {
        NDArray h = m.block.decodeHidden(m.ps, memory, source, ids, state, false); // [B, T, D]
        return m.block.project(m.ps, h, false); // [B, T, V]
    }

    private static NDArray fullLastPosition(
            TinyModel m, NDArray memory, NDArray source, NDArray prefix) {
        return m.block
                .decode(m.ps, memory, source, prefix, false)
                .get(new NDIndex(":, -1:, :")); // [B, 1, V]
    }

    private static NDArray lastColumn(NDArray prefix, NDManager step) {
        return prefix.get(step, new NDIndex(":, -1:")); // [B, 1]
    }

    private static NDArray append(NDArray prefix, NDArray next, NDManager owner) {
        NDArray grown =
                NDArrays.concat(new NDList(prefix, next.toType(prefix.getDataType(), false)), 1);
        grown.attach(owner);
        prefix.close();
        return grown;
    }
}
