package io.github.djlseq2seq.zoo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The torch.nn.Transformer parity fixtures written by {@code
 * core/src/test/python/make_torch_parity_fixtures.py}: per case a directory holding {@code
 * model.safetensors} and {@code config.json} as the PyTorch module's {@code save_pretrained} wrote
 * them, and {@code parity.json} with a padded batch and the module's float64 logits.
 */
final class TorchFixtures {

    /** The cases: post-norm untied with separate vocabularies, pre-norm shared and tied. */
    static final String[] CASES = {"post-norm", "pre-norm"};

    private TorchFixtures() {}

    /** The fixture directory of a case. */
    static Path directory(String name) {
        URL url = TorchFixtures.class.getResource("/io/github/djlseq2seq/torch/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource torch/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The configuration of a case. */
    static TransformerConfig config(String name) throws IOException {
        return TransformerConfig.load(directory(name).resolve(Seq2SeqArtifact.CONFIG));
    }

    /** The case's parity.json. */
    static JsonObject parity(String name) throws IOException {
        String json =
                Files.readString(directory(name).resolve("parity.json"), StandardCharsets.UTF_8);
        return JsonParser.parseString(json).getAsJsonObject();
    }

    /** A JSON matrix of ids as an int array. */
    static int[][] ids(JsonArray rows) {
        int[][] ids = new int[rows.size()][];
        for (int i = 0; i < ids.length; i++) {
            JsonArray row = rows.get(i).getAsJsonArray();
            ids[i] = new int[row.size()];
            for (int j = 0; j < ids[i].length; j++) {
                ids[i][j] = row.get(j).getAsInt();
            }
        }
        return ids;
    }

    /** The JSON logits [B][T][V], flattened. */
    static double[] logits(JsonArray sentences) {
        return sentences.asList().stream()
                .flatMap(s -> s.getAsJsonArray().asList().stream())
                .flatMap(t -> t.getAsJsonArray().asList().stream())
                .mapToDouble(v -> v.getAsDouble())
                .toArray();
    }

    /** The model's teacher-forced logits {@code [B, T, V]}, flattened. */
    static float[] forward(
            Seq2SeqTransformer model, NDManager manager, int[][] source, int[][] in) {
        try (NDManager step = manager.newSubManager()) {
            NDArray logits =
                    model.forward(
                                    new ParameterStore(step, false),
                                    new NDList(step.create(source), step.create(in)),
                                    false)
                            .head();
            return logits.toFloatArray();
        }
    }
}
