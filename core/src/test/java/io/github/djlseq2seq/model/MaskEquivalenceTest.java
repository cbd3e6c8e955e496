package io.github.djlseq2seq.model;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The specification, docs/SPEC.md §2: the parallel causally-masked pass equals step-by-step
 * decoding of each prefix.
 */
public class MaskEquivalenceTest {

    @DataProvider
    public Object[][] placements() {
        return new Object[][] {{NormPlacement.POST}, {NormPlacement.PRE}};
    }

    @Test(dataProvider = "placements")
    public void parallelPassEqualsPrefixDecoding(NormPlacement norm) {
        try (TinyModel m = new TinyModel(norm, DataType.FLOAT32, 7);
                NDManager manager = m.manager.newSubManager()) {
            Random random = new Random(1);
            NDArray source = TinyModel.paddedIds(manager, random, TinyModel.VOCAB, 7, 3, 5);
            NDArray target = TinyModel.paddedIds(manager, random, TinyModel.VOCAB, 4, 6, 2);
            NDArray full = m.logits(source, target); // [B, T, V]
            long length = target.getShape().get(1);
            double worst = 0;
            for (long t = 1; t <= length; t++) {
                // Prediction[t] from the prefix Y_in[:t] alone: only its last position is used.
                NDArray prefix = target.get(new NDIndex(":, :{}", t));
                NDArray step = m.logits(source, prefix).get(new NDIndex(":, -1, :"));
                NDArray parallel = full.get(new NDIndex(":, {}, :", t - 1));
                worst = Math.max(worst, TinyModel.maxAbsDiff(step, parallel));
            }
            assertTrue(worst < 1e-5, "max |parallel - prefix| = " + worst);
        }
    }

    @Test
    public void causalMaskBlocksExactlyTheFuture() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] bias = Masks.causal(manager, 3, DataType.FLOAT32).toFloatArray();
            float b = Masks.BLOCKED;
            assertEquals(bias, new float[] {0, b, b, 0, 0, b, 0, 0, 0});
        }
    }

    @Test
    public void keyPaddingBlocksPadOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ids = manager.create(new int[][] {{5, 2, 0}, {3, 0, 0}});
            NDArray bias = Masks.keyPadding(ids, 0, DataType.FLOAT32);
            assertEquals(bias.getShape().toString(), "(2, 1, 1, 3)");
            float b = Masks.BLOCKED;
            assertEquals(bias.toFloatArray(), new float[] {0, 0, b, 0, b, b});
        }
    }
}
