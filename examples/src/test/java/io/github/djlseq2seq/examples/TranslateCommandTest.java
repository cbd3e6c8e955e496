package io.github.djlseq2seq.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.zoo.ModelExporter;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;

/**
 * translate keeps exactly one line out per line in, in order, and takes an exported model or a
 * train run's output directory.
 */
public class TranslateCommandTest {

    /** A tiny untrained model exported to a directory. */
    static void exportTinyModel(Path dir) throws Exception {
        List<String> texts =
                List.of(
                        "In the beginning God created the heavens and the earth.",
                        "En el principio crió Dios los cielos y la tierra.");
        BpeTokenizer tokenizer =
                BpeTokenizer.train(texts, BpeTrainingConfig.builder().optVocabSize(300).build());
        try (Model model = Model.newInstance("seq2seq", Device.cpu())) {
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
            Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
            model.setBlock(block);
            // seeded: some random draws make END win at the first step, so every line is empty
            Engine.getEngine("PyTorch").setRandomSeed(7);
            block.initialize(
                    model.getNDManager(), DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
            ModelExporter.export(
                    model, tokenizer, tokenizer, DecodingOptions.builder().build(), dir, false);
        }
    }

    /** Runs translate on the input, expecting the status; returns standard output and error. */
    static String[] translate(int status, String input, String... args) {
        InputStream in = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            String[] all = new String[args.length + 1];
            all[0] = "translate";
            System.arraycopy(args, 0, all, 1, args.length);
            return CliTest.run(status, all);
        } finally {
            System.setIn(in);
        }
    }

    @Test
    public void oneLineOutPerLineIn() throws Exception {
        Path dir = Files.createTempDirectory("translate").resolve("model");
        exportTinyModel(dir);
        String input = "In the beginning\n\nGod created\n\n\nthe earth.\n";
        String[] out = translate(0, input, "--model", dir.toString(), "--batch", "2");
        String[] lines = out[0].split("\n", -1);
        assertEquals(lines.length, 7, out[0]); // 6 lines and the final newline
        assertEquals(lines[1], "");
        assertEquals(lines[3], "");
        assertEquals(lines[4], "");
        assertFalse(lines[0].isEmpty(), out[0]);
        assertFalse(lines[5].isEmpty(), out[0]);
    }

    @Test
    public void theOutDirectoryOfATrainRunIsAModel() throws Exception {
        // what train --out RUN leaves: config, tokenizer, metrics, checkpoints and model/
        Path run = Files.createTempDirectory("run");
        Files.createDirectories(run.resolve("checkpoints").resolve("best"));
        Files.writeString(run.resolve("metrics.jsonl"), "");
        Path model = run.resolve("model");
        exportTinyModel(model);
        Files.copy(model.resolve("config.json"), run.resolve("config.json"));
        Files.copy(model.resolve("tokenizer.json"), run.resolve("tokenizer.json"));
        String input = "In the beginning\nGod created the earth.\n";
        String[] direct = translate(0, input, "--model", model.toString());
        String[] fromRun = translate(0, input, "--model", run.toString());
        assertEquals(fromRun[0], direct[0]);
        assertEquals(fromRun[0].split("\n", -1).length, 3, fromRun[0]);

        // a run that never reached its export says what is missing
        Path unfinished = Files.createTempDirectory("unfinished");
        Files.createDirectories(unfinished.resolve("checkpoints"));
        String err = translate(1, input, "--model", unfinished.toString())[1];
        assertTrue(err.startsWith("error: " + unfinished + " is not a model"), err);
        assertTrue(err.contains("holds no serving.properties, and no model/ directory"), err);
        assertTrue(err.contains("export --checkpoint"), err);
        assertFalse(err.contains("\tat "), err);
        // a model/ directory that is no export either
        Files.createDirectories(unfinished.resolve("model"));
        err = translate(1, input, "--model", unfinished.toString())[1];
        assertTrue(err.contains("and neither does " + unfinished.resolve("model")), err);

        // eval takes the same --model
        Path tsv = run.resolve("dev.tsv");
        Files.writeString(tsv, "In the beginning\tEn el principio\n");
        String scores =
                CliTest.run(0, "eval", "--model", run.toString(), "--data", tsv.toString())[0];
        assertTrue(scores.contains("BLEU"), scores);
        err = CliTest.run(1, "eval", "--model", unfinished.toString(), "--data", tsv.toString())[1];
        assertTrue(err.contains("is not a model"), err);
    }

    /**
     * A Hugging Face MarianMT directory (core's tiny random test checkpoint) translates from the
     * command line as Hugging Face's generate() does (core's make_marian_fixtures.py).
     */
    @Test
    public void translatesWithAMarianCheckpoint() throws Exception {
        Path dir = Path.of("..", "core", "src", "test", "resources", "io", "github", "djlseq2seq");
        Path marian = dir.resolve("marian").resolve("tiny");
        String input = "the cat ran in the park\nhello dog\nthe light of the world shines\n";
        String[] beam = translate(0, input, "--model", marian.toString());
        String[] greedy = translate(0, input, "--model", marian.toString(), "--beam", "1");
        // the texts of reference.json, what Hugging Face's generate() gives
        String ark = "ark".repeat(10);
        assertEquals(beam[0], ark + "\nc\n" + "nes".repeat(10) + "\n");
        assertEquals(greedy[0], ark + "\n\nark" + "nes".repeat(9) + "\n");
    }
}
