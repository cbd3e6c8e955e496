package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

/** A damaged Marian checkpoint fails with an error that names the file and the field or tensor. */
public class MarianBadInputTest {

    private static Exception loadFails(Path dir, Class<? extends Exception> type) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return expectThrows(type, () -> MarianCheckpoint.loadBlock(dir, manager));
        }
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.contains(from), file + " lacks " + from);
        Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    }

    @Test
    public void missingWeightsNameTheFile() throws Exception {
        Path dir = MarianFixture.open("tiny").copy();
        Files.delete(dir.resolve("model.safetensors"));
        Exception e = loadFails(dir, IOException.class);
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        assertTrue(e.getMessage().startsWith("Missing"), e.getMessage());
    }

    @Test
    public void wrongShapeNamesTheTensor() throws Exception {
        Path dir = MarianFixture.open("tiny").copy();
        edit(dir.resolve("config.json"), "\"encoder_ffn_dim\": 32", "\"encoder_ffn_dim\": 48");
        edit(dir.resolve("config.json"), "\"decoder_ffn_dim\": 32", "\"decoder_ffn_dim\": 48");
        Exception e = loadFails(dir, IOException.class);
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("fc1.weight"), e.getMessage());
        assertTrue(e.getMessage().contains("(32, 16)"), e.getMessage());
    }

    @Test
    public void unsupportedActivationNamesTheField() throws Exception {
        Path dir = MarianFixture.open("tiny").copy();
        edit(dir.resolve("config.json"), "\"swish\"", "\"tanh\"");
        Exception e = loadFails(dir, IllegalArgumentException.class);
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
        assertTrue(e.getMessage().contains("activation_function"), e.getMessage());
        assertTrue(e.getMessage().contains("tanh"), e.getMessage());
    }

    @Test
    public void missingFieldNamesIt() throws Exception {
        Path dir = MarianFixture.open("tiny").copy();
        edit(dir.resolve("config.json"), "\"d_model\": 16,", "");
        Exception e = loadFails(dir, IllegalArgumentException.class);
        assertTrue(e.getMessage().contains("config.json: d_model is missing"), e.getMessage());
    }

    @Test
    public void unsupportedBadWordsNameTheField() throws Exception {
        Path dir = MarianFixture.open("tiny").copy();
        edit(dir.resolve("generation_config.json"), "[\n    [\n      52\n    ]\n  ]", "[[7]]");
        Exception e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> MarianCheckpoint.decodingOptions(dir));
        assertTrue(
                e.getMessage().contains("generation_config.json: bad_words_ids"), e.getMessage());
    }
}
