package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.testng.annotations.Test;

/**
 * An exported model loads as {@code Criteria<Input, Output>} (what DJL Serving asks for) and
 * answers the JSON contract: the String translator's translations for good requests, JSON errors
 * with 4xx codes for bad ones, one answer per request of a batch.
 */
public class ServingTest {

    @Test
    public void directoryAndZipAnswerJsonRequestsAsTheStringTranslator() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            List<String> expected = f.translate(ExportFixture.INPUTS); // beam 1 (the export's)
            Path dir = f.export("model");
            Path zip = f.export("model.zip");
            for (Path model : List.of(dir, zip)) {
                try (ZooModel<Input, Output> loaded = serving(model).loadModel();
                        Predictor<Input, Output> p = loaded.newPredictor()) {
                    // one string
                    Output one =
                            p.predict(request("{\"inputs\": " + new JsonPrimitive(text(0)) + "}"));
                    assertEquals(texts(one), List.of(f.translate(List.of(text(0))).get(0)));
                    // a list, with an empty string
                    Output many = p.predict(request(inputs(ExportFixture.INPUTS, "")));
                    assertEquals(texts(many), expected, model.toString());
                    assertEquals(many.getCode(), 200);
                    assertEquals(many.getProperty("Content-Type", null), "application/json");
                }
            }
            // parameters give what the same Criteria arguments give the String translator
            List<String> beams;
            try (ZooModel<String, String> m =
                            Criteria.builder()
                                    .setTypes(String.class, String.class)
                                    .optModelPath(dir)
                                    .optArgument("beamSize", 3)
                                    .optArgument("noRepeatNgramSize", 2)
                                    .build()
                                    .loadModel();
                    Predictor<String, String> p = m.newPredictor()) {
                beams = p.batchPredict(ExportFixture.INPUTS);
            }
            try (ZooModel<Input, Output> loaded = serving(dir).loadModel();
                    Predictor<Input, Output> p = loaded.newPredictor()) {
                String params = ", \"parameters\": {\"beam_size\": 3, \"no_repeat_ngram_size\": 2}";
                assertEquals(
                        texts(p.predict(request(inputs(ExportFixture.INPUTS, params)))), beams);
                // a batch as DJL Serving sends it: each request answered alone, in order
                List<Output> batch =
                        p.batchPredict(
                                List.of(
                                        request(inputs(ExportFixture.INPUTS, params)),
                                        request("{\"inputs\": 7}"),
                                        request(inputs(ExportFixture.INPUTS, "")),
                                        request(inputs(List.of("", " "), ""))));
                assertEquals(texts(batch.get(0)), beams);
                assertEquals(batch.get(1).getCode(), 400);
                assertEquals(texts(batch.get(2)), expected);
                assertEquals(texts(batch.get(3)), List.of("", ""));
                // a batch of bad requests only never reaches the model
                assertEquals(p.batchPredict(List.of(request(""))).get(0).getCode(), 400);
            }
        }
    }

    @Test
    public void badRequestsGetJsonErrorsNamingTheProblem() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            Path dir = f.export("model");
            try (ZooModel<Input, Output> loaded = serving(dir).loadModel();
                    Predictor<Input, Output> p = loaded.newPredictor()) {
                assertError(p.predict(new Input()), 400, "empty request body");
                assertError(p.predict(request("  ")), 400, "empty request body");
                assertError(p.predict(request("{\"inputs\": ")), 400, "invalid JSON");
                assertError(p.predict(request("[\"a\"]")), 400, "must be a JSON object");
                assertError(p.predict(request("{\"text\": \"a\"}")), 400, "unknown key \"text\"");
                assertError(p.predict(request("{}")), 400, "missing \"inputs\"");
                assertError(p.predict(request("{\"inputs\": 3}")), 400, "got a number 3");
                assertError(p.predict(request("{\"inputs\": []}")), 400, "empty array");
                assertError(
                        p.predict(request("{\"inputs\": [\"a\", [\"b\"]]}")),
                        400,
                        "inputs[1] must be a string, got an array");
                List<String> many = new ArrayList<>(Collections.nCopies(65, "a"));
                assertError(p.predict(request(inputs(many, ""))), 413, "at most 64");
                assertError(
                        p.predict(request("{\"inputs\": \"a\", \"parameters\": {\"beam\": 4}}")),
                        400,
                        "unknown parameter \"beam\"");
                assertError(
                        p.predict(
                                request(
                                        "{\"inputs\": \"a\", \"parameters\": {\"beam_size\": \"4\"}}")),
                        400,
                        "parameters.beam_size must be an integer ≥ 1, got a string \"4\"");
                assertError(
                        p.predict(
                                request("{\"inputs\": \"a\", \"parameters\": {\"beam_size\": 0}}")),
                        400,
                        "beam_size must be an integer ≥ 1, got a number 0");
                assertError(
                        p.predict(
                                request(
                                        "{\"inputs\": \"a\", \"parameters\": {\"max_length\": 5,"
                                                + " \"max_length_ratio\": 1}}")),
                        400,
                        "cannot be combined");
                assertError(
                        p.predict(
                                request(
                                        "{\"inputs\": \"a\", \"parameters\":"
                                                + " {\"truncate_source\": 1}}")),
                        400,
                        "truncate_source must be a boolean");
                String tooLong = "light ".repeat(100);
                assertError(
                        p.predict(request("{\"inputs\": [\"a\", \"" + tooLong + "\"]}")),
                        400,
                        "inputs[1] has");
                // the same sentence is cut to fit when the request asks
                Output cut =
                        p.predict(
                                request(
                                        "{\"inputs\": \""
                                                + tooLong
                                                + "\", \"parameters\": {\"truncate_source\":"
                                                + " true, \"max_length\": 3}}"));
                assertEquals(cut.getCode(), 200);
                assertTrue(texts(cut).get(0).split(" ").length <= 3, texts(cut).get(0));
            }
        }
    }

    @Test
    public void servingPropertiesCarryWhatDjlServingReads() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            Path dir = f.export("model");
            Properties p = new Properties();
            try (var r = Files.newBufferedReader(dir.resolve(Seq2SeqArtifact.SERVING_PROPERTIES))) {
                p.load(r);
            }
            assertEquals(p.getProperty("engine"), "PyTorch");
            assertEquals(
                    p.getProperty("translatorFactory"), Seq2SeqTranslatorFactory.class.getName());
            assertEquals(p.getProperty("batch_size"), "8");
            assertEquals(p.getProperty("max_batch_delay"), "50");
            assertEquals(p.getProperty("maxInputs"), "64");
            assertEquals(p.getProperty("beamSize"), "1");
        }
    }

    private static Criteria<Input, Output> serving(Path model) {
        return Criteria.builder()
                .setTypes(Input.class, Output.class)
                .optModelPath(model)
                .optEngine("PyTorch")
                .build();
    }

    private static Input request(String body) {
        Input input = new Input();
        input.add("data", body.getBytes(StandardCharsets.UTF_8));
        return input;
    }

    private static String text(int i) {
        return ExportFixture.INPUTS.get(i);
    }

    /** {"inputs": [...] + rest}. */
    private static String inputs(List<String> sentences, String rest) {
        JsonArray array = new JsonArray();
        sentences.forEach(array::add);
        return "{\"inputs\": " + array + rest + "}";
    }

    /** The translations of a 200 response. */
    private static List<String> texts(Output output) {
        String body = output.getData().getAsString();
        assertEquals(output.getCode(), 200, body);
        List<String> out = new ArrayList<>();
        for (JsonElement item : JsonParser.parseString(body).getAsJsonArray()) {
            JsonObject object = item.getAsJsonObject();
            assertEquals(object.keySet(), Set.of("translation_text"), body);
            out.add(object.get("translation_text").getAsString());
        }
        return out;
    }

    private static void assertError(Output output, int code, String fragment) {
        assertEquals(output.getCode(), code, output.getMessage());
        JsonObject body = JsonParser.parseString(output.getData().getAsString()).getAsJsonObject();
        assertEquals(body.get("code").getAsInt(), code);
        String error = body.get("error").getAsString();
        assertTrue(error.contains(fragment), error);
        assertEquals(output.getMessage(), error);
    }
}
