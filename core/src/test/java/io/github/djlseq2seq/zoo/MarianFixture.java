package io.github.djlseq2seq.zoo;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The tiny random Marian checkpoints written by core/src/test/python/make_marian_fixtures.py, and
 * the reference.json beside each (Hugging Face's computation, in Marian ids).
 */
final class MarianFixture {

    final Path dir;
    final JsonObject reference;

    private MarianFixture(Path dir) throws IOException {
        this.dir = dir;
        reference =
                JsonParser.parseString(
                                Files.readString(
                                        dir.resolve("reference.json"), StandardCharsets.UTF_8))
                        .getAsJsonObject();
    }

    /** Opens the checkpoint {@code tiny} (swish, scaled, tied) or {@code tiny-gelu}. */
    static MarianFixture open(String name) throws IOException {
        try {
            return new MarianFixture(
                    Path.of(
                            MarianFixture.class
                                    .getResource("/io/github/djlseq2seq/marian/" + name)
                                    .toURI()));
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** Copies the checkpoint (without reference.json) to a temporary directory, to damage it. */
    Path copy() throws IOException {
        Path target = Files.createTempDirectory("marian");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }

    int[][] ints(String key) {
        return toInts(reference.getAsJsonArray(key));
    }

    static int[][] toInts(JsonArray rows) {
        int[][] out = new int[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray row = rows.get(i).getAsJsonArray();
            out[i] = new int[row.size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = row.get(j).getAsInt();
            }
        }
        return out;
    }

    static int[] toInts(JsonElement row) {
        return toInts(wrap(row))[0];
    }

    private static JsonArray wrap(JsonElement row) {
        JsonArray a = new JsonArray();
        a.add(row);
        return a;
    }
}
