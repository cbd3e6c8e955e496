package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.djlseq2seq.model.AttentionLayout;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.util.FileUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.testng.annotations.Test;

/**
 * A model exported before the attention's Q, K and V projections were stacked (block version 1,
 * separate {@code query}/{@code key}/{@code value} children) still loads through DJL Criteria and
 * computes the logits and translations it computed then; saved again, it is in today's layout.
 *
 * <p>The fixture (folder {@code legacy/separate-qkv}: the {@link ExportFixture} model, d 16, 1 + 1
 * layers, exported by the code of commit 87bc204, and {@code reference.json} with its logits for
 * {@link ExportFixture#SOURCE_IDS} / {@link ExportFixture#DECODER_IDS} and translations of {@link
 * ExportFixture#INPUTS}) was written by that code and must never be regenerated.
 */
public class SeparateProjectionLayoutTest {

    private static final String FOLDER = "/io/github/djlseq2seq/legacy/separate-qkv/";
    private static final List<String> FILES =
            List.of(
                    "config.json",
                    "serving.properties",
                    "tokenizer.json",
                    "seq2seq-0000.params",
                    "reference.json");

    @Test
    public void oldExportLoadsWithTheSameLogitsAndTranslations() throws Exception {
        Path dir = Files.createTempDirectory("separate-qkv");
        try {
            for (String name : FILES) {
                try (InputStream in = getClass().getResourceAsStream(FOLDER + name)) {
                    assertTrue(in != null, "missing test resource " + FOLDER + name);
                    Files.copy(in, dir.resolve(name));
                }
            }
            JsonObject reference =
                    JsonParser.parseString(
                                    Files.readString(
                                            dir.resolve("reference.json"), StandardCharsets.UTF_8))
                            .getAsJsonObject();
            try (ZooModel<String, String> model = CriteriaLoadingTest.plain(dir).loadModel();
                    Predictor<String, String> predictor = model.newPredictor()) {
                assertTrue(
                        model.getBlock().getParameters().keys().stream()
                                .anyMatch(k -> k.endsWith("_" + AttentionLayout.KEY_VALUE_WEIGHT)),
                        "loaded into the stacked layout");
                float[] expected = floats(reference.getAsJsonArray("logits"));
                assertClose(ExportFixture.logits(model), expected, "old export");
                List<String> translations = new ArrayList<>();
                reference
                        .getAsJsonArray("translations")
                        .forEach(t -> translations.add(t.getAsString()));
                assertEquals(predictor.batchPredict(ExportFixture.INPUTS), translations);

                // saved again (version 2) and loaded into a fresh block: the same logits
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (DataOutputStream out = new DataOutputStream(bytes)) {
                    model.getBlock().saveParameters(out);
                }
                TransformerConfig config = TransformerConfig.load(dir.resolve("config.json"));
                try (Model fresh = Model.newInstance("fresh")) {
                    Block block = Seq2SeqTransformer.builder().setConfig(config).build();
                    fresh.setBlock(block);
                    block.initialize(
                            fresh.getNDManager(),
                            DataType.FLOAT32,
                            new Shape(1, 4),
                            new Shape(1, 4));
                    block.loadParameters(
                            fresh.getNDManager(),
                            new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
                    assertClose(ExportFixture.logits(fresh), expected, "saved again");
                }
            }
        } finally {
            FileUtils.deleteTree(dir);
        }
    }

    private static float[] floats(JsonArray array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsFloat();
        }
        return values;
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertEquals(actual.length, expected.length, what + ": logit count");
        for (int i = 0; i < actual.length; i++) {
            assertEquals(actual[i], expected[i], 1e-6, what + ": logit " + i);
        }
    }
}
