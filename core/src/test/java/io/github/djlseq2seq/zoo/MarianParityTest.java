package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.djlseq2seq.data.MarianIds;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.inference.BeamSearchDecoder;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.inference.GreedyDecoder;
import io.github.djlseq2seq.inference.Hypothesis;
import io.github.djlseq2seq.inference.SequenceDecoder;
import io.github.djlseq2seq.inference.TranslationRequest;
import io.github.djlseq2seq.inference.TranslationResult;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/**
 * A Hugging-Face-layout Marian checkpoint computes in Java what Hugging Face's MarianMTModel and
 * generate() compute (the plain-PyTorch reference of make_marian_fixtures.py): logits within 1e-4,
 * the same token ids from the tokenizer, the same greedy and beam outputs, ids and text.
 */
public class MarianParityTest {

    @Test
    public void logitsMatchSwishScaledTied() throws Exception {
        checkLogits("tiny");
    }

    @Test
    public void logitsMatchGeluUnscaledUntied() throws Exception {
        checkLogits("tiny-gelu");
    }

    private static void checkLogits(String name) throws Exception {
        MarianFixture fixture = MarianFixture.open(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            Seq2SeqTransformer model = MarianCheckpoint.loadBlock(fixture.dir, manager);
            MarianIds ids = MarianCheckpoint.ids(fixture.dir);
            int[][] source = fixture.ints("sourceIds");
            int width = Arrays.stream(source).mapToInt(r -> r.length).max().orElseThrow();
            int[][] decoderIn = fixture.ints("decoderInputIds");
            int[] src = new int[source.length * width]; // PAD-padded, ours
            for (int r = 0; r < source.length; r++) {
                for (int c = 0; c < source[r].length; c++) {
                    src[r * width + c] = ids.toOurs(source[r][c]);
                }
            }
            int t = decoderIn[0].length;
            int[] dec = new int[decoderIn.length * t];
            for (int r = 0; r < decoderIn.length; r++) {
                for (int c = 0; c < t; c++) { // Marian's decoder start (pad) is our START
                    dec[r * t + c] = c == 0 ? SpecialTokens.START_ID : ids.toOurs(decoderIn[r][c]);
                }
            }
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray logits =
                    model.forward(
                                    ps,
                                    new NDList(
                                            manager.create(
                                                    src,
                                                    new ai.djl.ndarray.types.Shape(
                                                            source.length, width)),
                                            manager.create(
                                                    dec,
                                                    new ai.djl.ndarray.types.Shape(
                                                            decoderIn.length, t))),
                                    false)
                            .head(); // [B, T, V + 1]
            float[] ours = logits.toFloatArray();
            int v = ids.size();
            JsonArray expected = fixture.reference.getAsJsonArray("logits");
            double worst = 0;
            for (int b = 0; b < decoderIn.length; b++) {
                for (int p = 0; p < t; p++) {
                    JsonArray row = expected.get(b).getAsJsonArray().get(p).getAsJsonArray();
                    for (int m = 0; m < row.size(); m++) {
                        double got = ours[(b * t + p) * v + ids.toOurs(m)];
                        worst = Math.max(worst, Math.abs(got - row.get(m).getAsDouble()));
                    }
                }
            }
            assertTrue(worst < 1e-4, name + ": largest logit difference " + worst);
        }
    }

    @Test
    public void tokenizerGivesHuggingFaceIds() throws Exception {
        MarianFixture fixture = MarianFixture.open("tiny");
        MarianIds ids = MarianCheckpoint.ids(fixture.dir);
        Seq2SeqTokenizer source = MarianCheckpoint.tokenizers(fixture.dir).get(0);
        JsonArray inputs = fixture.reference.getAsJsonArray("inputs");
        int[][] expected = fixture.ints("sourceIds");
        for (int i = 0; i < inputs.size(); i++) {
            int[] ours = source.encode(inputs.get(i).getAsString());
            int[] marian = new int[ours.length + 1];
            for (int j = 0; j < ours.length; j++) {
                marian[j] = ids.toMarian(ours[j]);
            }
            marian[ours.length] = 0; // MarianTokenizer appends </s>
            assertEquals(marian, expected[i], inputs.get(i).getAsString());
        }
    }

    @Test
    public void greedyAndBeamMatchHuggingFaceGenerate() throws Exception {
        MarianFixture fixture = MarianFixture.open("tiny");
        DecodingOptions beam = MarianCheckpoint.decodingOptions(fixture.dir).build();
        DecodingOptions greedy =
                MarianCheckpoint.decodingOptions(fixture.dir).optBeamSize(1).build();
        assertEquals(beam.getBeamSize(), 3); // from generation_config.json
        try (NDManager manager = NDManager.newBaseManager()) {
            Seq2SeqTransformer model = MarianCheckpoint.loadBlock(fixture.dir, manager);
            MarianIds ids = MarianCheckpoint.ids(fixture.dir);
            Seq2SeqTokenizer target = MarianCheckpoint.tokenizers(fixture.dir).get(1);
            ParameterStore ps = new ParameterStore(manager, false);
            int[][] source = fixture.ints("sourceIds");
            check(
                    fixture,
                    "greedy",
                    new GreedyDecoder(model, greedy),
                    model,
                    ps,
                    manager,
                    ids,
                    source,
                    target);
            check(
                    fixture,
                    "beam",
                    new BeamSearchDecoder(model, beam),
                    model,
                    ps,
                    manager,
                    ids,
                    source,
                    target);
        }
    }

    private static void check(
            MarianFixture fixture,
            String key,
            SequenceDecoder decoder,
            Seq2SeqTransformer model,
            ParameterStore ps,
            NDManager manager,
            MarianIds ids,
            int[][] source,
            Seq2SeqTokenizer target) {
        JsonArray expected = fixture.reference.getAsJsonArray(key);
        for (int i = 0; i < source.length; i++) { // one sentence at a time, as the reference
            int[] row = Arrays.stream(source[i]).map(ids::toOurs).toArray();
            Hypothesis h = decoder.decode(ps, manager.create(row).reshape(1, row.length)).get(0);
            List<Integer> marian = new ArrayList<>();
            for (int token : h.getTokens()) {
                marian.add(ids.toMarian(token));
            }
            marian.add(0); // </s>
            JsonObject want = expected.get(i).getAsJsonObject();
            assertEquals(
                    marian.stream().mapToInt(Integer::intValue).toArray(),
                    MarianFixture.toInts(want.get("ids")),
                    key + " " + i);
            assertEquals(
                    target.decode(h.getTokens()), want.get("text").getAsString(), key + " " + i);
            if (want.has("score")) {
                assertEquals(h.getNormalizedScore(), want.get("score").getAsDouble(), 1e-4);
            }
        }
    }

    @Test
    public void criteriaLoadsAndTranslatesLikeGenerate() throws Exception {
        MarianFixture fixture = MarianFixture.open("tiny");
        List<String> inputs = new ArrayList<>();
        fixture.reference.getAsJsonArray("inputs").forEach(e -> inputs.add(e.getAsString()));
        for (String key : List.of("beam", "greedy")) {
            Map<String, ?> arguments = key.equals("greedy") ? Map.of("beamSize", 1) : Map.of();
            try (ZooModel<String, String> model =
                            MarianCheckpoint.criteria(fixture.dir, arguments).loadModel();
                    Predictor<String, String> predictor = model.newPredictor()) {
                List<String> out = predictor.batchPredict(inputs);
                JsonArray expected = fixture.reference.getAsJsonArray(key);
                for (int i = 0; i < out.size(); i++) {
                    assertEquals(
                            out.get(i),
                            expected.get(i).getAsJsonObject().get("text").getAsString(),
                            key + " " + i);
                }
            }
        }
    }

    @Test
    public void requestCriteriaGiveTheNBestAndFollowAPrefix() throws Exception {
        MarianFixture fixture = MarianFixture.open("tiny");
        List<String> inputs = new ArrayList<>();
        fixture.reference.getAsJsonArray("inputs").forEach(e -> inputs.add(e.getAsString()));
        JsonArray expected = fixture.reference.getAsJsonArray("beam");
        Seq2SeqTokenizer target = MarianCheckpoint.tokenizers(fixture.dir).get(1);
        try (ZooModel<TranslationRequest, TranslationResult> model =
                        MarianCheckpoint.criteria(
                                        fixture.dir,
                                        TranslationRequest.class,
                                        TranslationResult.class,
                                        Map.of("nBest", 3))
                                .loadModel();
                Predictor<TranslationRequest, TranslationResult> predictor = model.newPredictor()) {
            for (int i = 0; i < inputs.size(); i++) {
                JsonObject want = expected.get(i).getAsJsonObject();
                TranslationResult result = predictor.predict(new TranslationRequest(inputs.get(i)));
                List<TranslationResult.Candidate> candidates = result.getCandidates();
                assertEquals(candidates.size(), 3, "n-best of beam 3, input " + i);
                assertEquals(result.getText(), want.get("text").getAsString(), "input " + i);
                assertEquals( // len^alpha and the source without START, as generate()
                        candidates.get(0).normalizedScore(), want.get("score").getAsDouble(), 1e-4);
                assertTrue(
                        candidates.get(1).normalizedScore() <= candidates.get(0).normalizedScore()
                                && candidates.get(2).normalizedScore()
                                        <= candidates.get(1).normalizedScore(),
                        "best first");
            }
            String prefix = "nes"; // not the beam output of input 0
            int[] forced = target.encode(prefix);
            TranslationResult result =
                    predictor.predict(new TranslationRequest(inputs.get(0), prefix, null));
            int[] tokens = result.getCandidates().get(0).tokens();
            assertEquals(Arrays.copyOf(tokens, forced.length), forced, result.getText());
            assertTrue(result.getText().startsWith(prefix), result.getText());
        }
    }

    @Test
    public void servingJsonTranslatesLikeGenerate() throws Exception {
        MarianFixture fixture = MarianFixture.open("tiny");
        JsonArray inputs = fixture.reference.getAsJsonArray("inputs");
        JsonArray expected = fixture.reference.getAsJsonArray("beam");
        try (ZooModel<Input, Output> model =
                        MarianCheckpoint.criteria(fixture.dir, Input.class, Output.class, Map.of())
                                .loadModel();
                Predictor<Input, Output> predictor = model.newPredictor()) {
            JsonObject body = new JsonObject();
            body.add("inputs", inputs);
            Input request = new Input();
            request.add("data", body.toString().getBytes(StandardCharsets.UTF_8));
            Output response = predictor.predict(request);
            String json = response.getData().getAsString();
            assertEquals(response.getCode(), 200, json);
            JsonArray out = JsonParser.parseString(json).getAsJsonArray();
            assertEquals(out.size(), inputs.size(), json);
            for (int i = 0; i < out.size(); i++) { // generation_config.json's beam 3, len^alpha
                assertEquals(
                        out.get(i).getAsJsonObject().get("translation_text").getAsString(),
                        expected.get(i).getAsJsonObject().get("text").getAsString(),
                        "input " + i);
            }
        }
    }
}
