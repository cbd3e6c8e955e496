package io.github.djlseq2seq.model;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

/** The configuration round-trips through JSON and rejects bad values by name. */
public class TransformerConfigTest {

    @Test
    public void jsonRoundTrip() throws IOException {
        TransformerConfig config =
                ShapeAndCountTest.paperBase().toBuilder()
                        .optNormPlacement(NormPlacement.PRE)
                        .optDropout(0.3f)
                        .build();
        TransformerConfig back = TransformerConfig.fromJson(config.toJson());
        assertEquals(back, config);
        assertEquals(back.normPlacement(), NormPlacement.PRE);
        assertEquals(back.dropout(), 0.3f);
        assertEquals(back.modelDim(), 512);
        assertTrue(back.tieOutputEmbedding() && back.shareEmbeddings());
        Path file = Files.createTempFile("config", ".json");
        try {
            config.save(file);
            assertEquals(TransformerConfig.load(file), config);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    public void loadsAConfigWrittenByVersion01() throws IOException, URISyntaxException {
        // written by the class-based TransformerConfig of 0.1.0 before it became a record
        Path file = Path.of(TransformerConfigTest.class.getResource("config-v0.1.json").toURI());
        TransformerConfig expected =
                TransformerConfig.builder()
                        .setSourceVocabSize(1200)
                        .setTargetVocabSize(1200)
                        .optModelDim(96)
                        .optNumHeads(6)
                        .optEncoderLayers(2)
                        .optDecoderLayers(5)
                        .optFeedForwardDim(384)
                        .optDropout(0.25f)
                        .optMaxLength(160)
                        .optNormPlacement(NormPlacement.PRE)
                        .optTieOutputEmbedding(true)
                        .optShareEmbeddings(true)
                        .build();
        TransformerConfig loaded = TransformerConfig.load(file);
        assertEquals(loaded, expected);
        assertEquals(loaded.parameterCount(), 1_085_664L);
        // the keys and their order stay those of 0.1.0
        assertEquals(loaded.toJson(), Files.readString(file));
    }

    @Test
    public void rejectsBadValuesWithTheFieldName() {
        TransformerConfig.Builder ok =
                TransformerConfig.builder().setSourceVocabSize(10).setTargetVocabSize(10);
        assertMessage(() -> ok.optModelDim(30).optNumHeads(4).build(), "divisible by numHeads");
        assertMessage(
                () -> TransformerConfig.builder().setTargetVocabSize(5).build(), "sourceVocabSize");
        assertMessage(() -> copy().optEncoderLayers(0).build(), "encoderLayers");
        assertMessage(() -> copy().optPadId(3).build(), "padId (3) must be 0");
        assertMessage(() -> copy().optFeedForwardDim(-1).build(), "feedForwardDim");
        assertMessage(() -> copy().optDropout(1f).build(), "dropout");
        assertMessage(() -> copy().optDropout(-0.1f).build(), "dropout");
        assertMessage(() -> copy().optDropout(Float.NaN).build(), "dropout");
        assertMessage(
                () -> copy().setTargetVocabSize(11).optShareEmbeddings(true).build(),
                "shareEmbeddings");
        assertMessage(
                () -> TransformerConfig.fromJson(copy().build().toJson().replace("256", "-3")),
                "modelDim");
        assertMessage(() -> TransformerConfig.fromJson("{\"modelDim\": "), "Malformed");
        // a key missing from the JSON reaches the validation as 0 or null, and is named
        assertMessage(
                () ->
                        TransformerConfig.fromJson(
                                copy().build().toJson().replace("\"normPlacement\"", "\"x\"")),
                "normPlacement must be POST or PRE");
        assertMessage(
                () -> TransformerConfig.fromJson("{\"sourceVocabSize\": 5}"),
                "targetVocabSize must be positive, got 0");
    }

    @Test
    public void loadNamesTheFile() throws IOException {
        Path file = Files.createTempFile("bad-config", ".json");
        try {
            Files.writeString(file, "{\"sourceVocabSize\": 0}");
            IllegalArgumentException e =
                    expectThrows(
                            IllegalArgumentException.class, () -> TransformerConfig.load(file));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        } finally {
            Files.delete(file);
        }
    }

    private static TransformerConfig.Builder copy() {
        return TransformerConfig.builder().setSourceVocabSize(10).setTargetVocabSize(10);
    }

    private static void assertMessage(Runnable build, String expected) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
