package io.github.djlseq2seq.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/** {@link CheckpointAveraging}: the element-wise mean of real checkpoints, and bad input named. */
public class CheckpointAveragingTest {

    @Test
    public void meanOfTheLastCheckpointsIsTheElementwiseMean() throws Exception {
        Path dir = Files.createTempDirectory("average");
        try {
            List<Map<String, float[]>> saved = new ArrayList<>();
            for (int step = 1; step <= 4; step++) {
                saved.add(writeCheckpoint(dir, step, 32, step * 7));
            }
            List<Path> last = CheckpointAveraging.lastCheckpoints(dir, 3);
            assertEquals(
                    last.stream().map(p -> p.getFileName().toString()).toList(),
                    List.of("step-00000002", "step-00000003", "step-00000004"));
            try (Model model = TrainingLoopTest.tinyModel(0f)) {
                CheckpointAveraging.average(model, last);
                Map<String, float[]> averaged = values(model);
                double worst = 0;
                double spread = 0;
                for (Map.Entry<String, float[]> e : averaged.entrySet()) {
                    float[] a = saved.get(1).get(e.getKey());
                    float[] b = saved.get(2).get(e.getKey());
                    float[] c = saved.get(3).get(e.getKey());
                    for (int i = 0; i < a.length; i++) {
                        double mean = ((double) a[i] + b[i] + c[i]) / 3;
                        worst = Math.max(worst, Math.abs(e.getValue()[i] - mean));
                        spread = Math.max(spread, Math.abs(a[i] - mean));
                    }
                }
                assertTrue(worst < 1e-7, "largest distance from the element-wise mean " + worst);
                assertTrue(spread > 1e-2, "the checkpoints differ by only " + spread);
            }
        } finally {
            Checkpoints.deleteTree(dir);
        }
    }

    @Test
    public void badCheckpointsAreNamed() throws Exception {
        Path dir = Files.createTempDirectory("average-bad");
        try (Model model = TrainingLoopTest.tinyModel(0f)) {
            writeCheckpoint(dir, 1, 32, 1);
            Path other = dir.resolve("other");
            writeCheckpoint(other, 2, 16, 2); // another model width
            Path missing = dir.resolve("step-00000009");
            Path good = dir.resolve("step-00000001");

            IOException gone =
                    expectThrows(
                            IOException.class,
                            () -> CheckpointAveraging.average(model, List.of(good, missing)));
            assertTrue(gone.getMessage().contains(missing.toString()), gone.getMessage());

            Path incompatible = other.resolve("step-00000002");
            IOException wrong =
                    expectThrows(
                            IOException.class,
                            () -> CheckpointAveraging.average(model, List.of(good, incompatible)));
            assertTrue(wrong.getMessage().contains(incompatible.toString()), wrong.getMessage());

            IOException few =
                    expectThrows(
                            IOException.class, () -> CheckpointAveraging.lastCheckpoints(dir, 2));
            assertTrue(
                    few.getMessage().contains(dir.toString())
                            && few.getMessage().contains("step-00000001"),
                    few.getMessage());
        } finally {
            Checkpoints.deleteTree(dir);
        }
    }

    /** Writes {@code dir/step-N} with a freshly initialised model's parameters; returns them. */
    private static Map<String, float[]> writeCheckpoint(Path dir, int step, int width, int seed)
            throws IOException {
        TransformerConfig config =
                TransformerConfig.builder()
                        .setSourceVocabSize(TrainingLoopTest.VOCAB)
                        .setTargetVocabSize(TrainingLoopTest.VOCAB)
                        .optModelDim(width)
                        .optNumHeads(4)
                        .optEncoderLayers(1)
                        .optDecoderLayers(1)
                        .optFeedForwardDim(64)
                        .optDropout(0f)
                        .optMaxLength(16)
                        .build();
        Engine.getInstance().setRandomSeed(seed);
        try (Model model = Model.newInstance("checkpoint")) {
            Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
            model.setBlock(block);
            block.initialize(
                    model.getNDManager(), DataType.FLOAT32, new Shape(1, 8), new Shape(1, 7));
            Path checkpoint = new Checkpoints(dir, 100).pathOf(step);
            Files.createDirectories(checkpoint);
            Checkpoints.writeParameters(block, Checkpoints.parametersOf(checkpoint));
            TrainingState state = new TrainingState();
            state.step = step;
            Files.writeString(
                    checkpoint.resolve("state.json"), state.toJson(), StandardCharsets.UTF_8);
            return values(model);
        }
    }

    private static Map<String, float[]> values(Model model) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            values.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return values;
    }
}
