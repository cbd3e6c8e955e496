package io.github.djlseq2seq.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.util.Pair;
import io.github.djlseq2seq.data.CopyTaskDataset;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.AttentionLayout;
import io.github.djlseq2seq.model.AttentionLayout.Projection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.testng.annotations.Test;

/**
 * {@link TrainingSettings#getUpdateFreq()}: two micro-batches per optimizer step give the
 * parameters one step over their concatenation gives, with the loss normalised over all their
 * target tokens (the two halves have different token counts here, so a per-half mean would weigh
 * them differently).
 */
public class GradientAccumulationTest {

    private static final int ROWS = 16;
    private static final int MODEL_DIM = 32; // TrainingLoopTest.tinyModel's

    @Test
    public void twoHalfBatchesPerStepEqualOneFullBatch() throws Exception {
        Result full = train(ROWS, 1);
        Result accumulated = train(ROWS / 2, 2);
        Result halves = train(ROWS / 2, 1); // control: a step per half batch
        assertEquals(accumulated.steps, 2, "optimizer steps of the accumulated run");
        assertEquals(full.steps, 2);
        double difference = maxDifference(full.parameters, accumulated.parameters);
        assertTrue(difference < 1e-5, "update-freq 2 vs one full batch: " + difference);
        assertEquals(accumulated.firstLoss, full.firstLoss, 1e-5, "step 1's loss");
        double control = maxDifference(full.parameters, halves.parameters);
        assertTrue(control > 1e-3, "a step per half batch differs by only " + control);
    }

    @Test
    public void updateFreqIsRecordedAndValidated() {
        TrainingSettings settings = TrainingSettings.builder().optUpdateFreq(4).build();
        assertEquals(TrainingSettings.fromJson(settings.toJson()).getUpdateFreq(), 4);
        assertEquals(TrainingSettings.fromJson("{}").getUpdateFreq(), 1, "absent: the default");
        assertTrue(TrainingSettings.FIXED_ON_RESUME.contains("updateFreq"));
        IllegalArgumentException e =
                org.testng.Assert.expectThrows(
                        IllegalArgumentException.class,
                        () -> TrainingSettings.builder().optUpdateFreq(0).build());
        assertTrue(e.getMessage().contains("updateFreq"), e.getMessage());
    }

    private record Result(Map<String, float[]> parameters, int steps, double firstLoss) {}

    private static Result train(int batchSize, int updateFreq) throws Exception {
        Path dir = Files.createTempDirectory("accumulate");
        try (Model model = TrainingLoopTest.tinyModel(0f);
                NDManager manager = NDManager.newBaseManager()) {
            TrainingSettings settings =
                    TrainingSettings.builder()
                            .optMaxSteps(2)
                            .optWarmupSteps(2)
                            .optPeakLearningRate(3e-3f)
                            .optClipNorm(0.5f)
                            .optLogEvery(1)
                            .optUpdateFreq(updateFreq)
                            .build();
            TrainingState state =
                    TrainingLoopTest.loop(model, data(manager, batchSize), dir)
                            .optSettings(settings)
                            .build()
                            .run(false);
            Map<String, float[]> parameters = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                parameters.put(p.getKey(), withoutKeyBias(p.getKey(), p.getValue()));
            }
            double firstLoss = TrainingLoopTest.losses(dir).get(1);
            return new Result(parameters, state.step, firstLoss);
        } finally {
            Checkpoints.deleteTree(dir);
        }
    }

    /**
     * The copy task as {@link CopyTaskDataset} lays it out, but rows 8..15 keep only 3 target
     * tokens (the rest PAD): 56 + 24 tokens.
     */
    private static ArrayDataset data(NDManager manager, int batchSize) {
        int[][] x = CopyTaskDataset.sequences(ROWS, 6, TrainingLoopTest.VOCAB, 11);
        int[][] target = new int[ROWS][7];
        int[][] decoderInput = new int[ROWS][7];
        int[][] sourceIds = new int[ROWS][8];
        for (int r = 0; r < ROWS; r++) {
            sourceIds[r][0] = SpecialTokens.START_ID;
            decoderInput[r][0] = SpecialTokens.START_ID;
            System.arraycopy(x[r], 0, sourceIds[r], 1, 6);
            System.arraycopy(x[r], 0, decoderInput[r], 1, 6);
            System.arraycopy(x[r], 0, target[r], 0, 6);
            sourceIds[r][7] = SpecialTokens.END_ID;
            target[r][6] = SpecialTokens.END_ID;
            if (r >= ROWS / 2) {
                for (int t = 3; t < 7; t++) {
                    target[r][t] = SpecialTokens.PAD_ID;
                }
            }
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(sourceIds), manager.create(decoderInput))
                .optLabels(manager.create(target))
                .setSampling(batchSize, false)
                .build();
    }

    /**
     * A parameter's values, with the key bias set to 0: its gradient is zero in exact arithmetic
     * (softmax ignores a shift shared by all keys), so Adam turns its rounding noise (1e-10) into
     * steps of up to the learning rate that differ between any two summation orders.
     */
    private static float[] withoutKeyBias(String name, Parameter parameter) {
        float[] values = parameter.getArray().toFloatArray();
        boolean self = name.endsWith(AttentionLayout.IN_PROJECTION_BIAS);
        if (self || name.endsWith(AttentionLayout.KEY_VALUE_BIAS)) {
            int from = AttentionLayout.rowOffset(!self, Projection.KEY, MODEL_DIM);
            Arrays.fill(values, from, from + MODEL_DIM, 0f);
        }
        return values;
    }

    private static double maxDifference(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        double max = 0;
        for (Map.Entry<String, float[]> e : a.entrySet()) {
            float[] other = b.get(e.getKey());
            for (int i = 0; i < other.length; i++) {
                max = Math.max(max, Math.abs(e.getValue()[i] - other[i]));
            }
        }
        return max;
    }
}
