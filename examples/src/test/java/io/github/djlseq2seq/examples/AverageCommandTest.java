package io.github.djlseq2seq.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.train.Checkpoints;
import io.github.djlseq2seq.train.TrainingState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;

/**
 * average: exports the mean of a run's last checkpoints as a model Criteria loads, whose first
 * parameter is the element-wise mean; never replaces an output unasked; names what is missing.
 */
public class AverageCommandTest {

    @Test
    public void averagesTheLastCheckpointsIntoALoadableModel() throws Exception {
        Path run = Files.createTempDirectory("average-run");
        try {
            BpeTokenizer tokenizer =
                    BpeTokenizer.train(
                            List.of("In the beginning God created", "En el principio crió Dios"),
                            BpeTrainingConfig.builder().optVocabSize(300).build());
            tokenizer.save(run.resolve("tokenizer.json"));
            TransformerConfig config =
                    TransformerConfig.builder()
                            .setSourceVocabSize(tokenizer.size())
                            .setTargetVocabSize(tokenizer.size())
                            .optModelDim(16)
                            .optNumHeads(2)
                            .optEncoderLayers(1)
                            .optDecoderLayers(1)
                            .optFeedForwardDim(32)
                            .optMaxLength(64)
                            .build();
            config.save(run.resolve("config.json"));
            float[][] firsts = new float[3][];
            for (int step = 1; step <= 3; step++) {
                firsts[step - 1] = writeCheckpoint(run.resolve("checkpoints"), config, step);
            }
            Path out = run.resolve("averaged");
            String[] printed =
                    CliTest.run(
                            0,
                            "average",
                            "--run",
                            run.toString(),
                            "--last",
                            "2",
                            "--out",
                            out.toString());
            assertTrue(printed[0].contains("step-00000003"), printed[0]);
            Criteria<String, String> criteria =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelPath(out)
                            .optEngine("PyTorch")
                            .build();
            try (ZooModel<String, String> model = criteria.loadModel()) {
                float[] first =
                        model.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
                for (int i = 0; i < first.length; i++) {
                    assertEquals(first[i], (firsts[1][i] + firsts[2][i]) / 2, 1e-7, "element " + i);
                }
            }

            String[] again =
                    CliTest.run(
                            1,
                            "average",
                            "--run",
                            run.toString(),
                            "--last",
                            "2",
                            "--out",
                            out.toString());
            assertTrue(again[1].contains(out + " already exists"), again[1]);

            String[] tooMany =
                    CliTest.run(
                            1,
                            "average",
                            "--run",
                            run.toString(),
                            "--last",
                            "4",
                            "--out",
                            run.resolve("four").toString());
            assertTrue(tooMany[1].contains("fewer than the 4"), tooMany[1]);
        } finally {
            Checkpoints.deleteTree(run);
        }
    }

    /** Writes {@code dir/step-N} with a freshly initialised model; returns its first parameter. */
    private static float[] writeCheckpoint(Path dir, TransformerConfig config, int step)
            throws Exception {
        Engine.getInstance().setRandomSeed(step);
        try (Model model = Model.newInstance("checkpoint")) {
            Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
            model.setBlock(block);
            block.initialize(
                    model.getNDManager(), DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
            Path checkpoint = new Checkpoints(dir, 100).pathOf(step);
            Files.createDirectories(checkpoint);
            Checkpoints.writeParameters(block, Checkpoints.parametersOf(checkpoint));
            TrainingState state = new TrainingState();
            state.step = step;
            Files.writeString(
                    checkpoint.resolve("state.json"), state.toJson(), StandardCharsets.UTF_8);
            return block.getParameters().valueAt(0).getArray().toFloatArray();
        }
    }
}
