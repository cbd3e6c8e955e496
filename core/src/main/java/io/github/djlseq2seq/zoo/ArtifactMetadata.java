package io.github.djlseq2seq.zoo;

import ai.djl.util.Hex;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.djlseq2seq.inference.DecodingOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes and reads the two descriptors of an exported model: {@code serving.properties} (read by
 * DJL when it loads the model) and the DJL repository {@code metadata.json} (the artifact id,
 * version and checksums, read by {@link ModelImporter} and {@link ModelRepository}; in a published
 * repository, read by DJL's {@code LocalRepository} to find the files).
 */
final class ArtifactMetadata {

    /** The metadata format version DJL's own model zoos use. */
    static final String METADATA_VERSION = "0.2";

    /** The model files an export may hold, in the order they are listed. */
    static final List<String> MODEL_FILES =
            List.of(
                    Seq2SeqArtifact.PARAMETERS,
                    Seq2SeqArtifact.SAFETENSORS,
                    Seq2SeqArtifact.CONFIG,
                    Seq2SeqArtifact.TOKENIZER,
                    Seq2SeqArtifact.SOURCE_TOKENIZER,
                    Seq2SeqArtifact.TARGET_TOKENIZER,
                    Seq2SeqArtifact.SERVING_PROPERTIES);

    /** The most requests DJL Serving batches into one prediction. */
    static final int SERVING_BATCH_SIZE = 8;

    /** How long DJL Serving waits to fill a batch, in milliseconds. */
    static final int SERVING_BATCH_DELAY_MS = 50;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /** {@code model/nlp/machine_translation/io/github/djlseq2seq/ID/}: seven levels. */
    private static final String UP_TO_ROOT = "../".repeat(7);

    private ArtifactMetadata() {}

    /**
     * The serving.properties of an exported model.
     *
     * @param options the default decoding options
     * @return the file's text
     */
    static String servingProperties(DecodingOptions options) {
        return "# djl-seq2seq model: load with DJL Criteria (String -> String, or Input -> Output JSON)\n"
                + "engine=PyTorch\n"
                + "blockFactory="
                + Seq2SeqBlockFactory.class.getName()
                + "\n"
                + "translatorFactory="
                + Seq2SeqTranslatorFactory.class.getName()
                + "\n"
                + "option.modelName="
                + Seq2SeqArtifact.MODEL_NAME
                + "\n"
                + "# the BlockFactory loads and checks the parameters itself\n"
                + "option.hasParameter=false\n"
                + "beamSize="
                + options.getBeamSize()
                + "\n"
                + "lengthPenalty="
                + options.getLengthPenalty()
                + "\n"
                + "maxLengthRatio="
                + options.getMaxLengthRatio()
                + "\n"
                + "maxLengthOffset="
                + options.getMaxLengthOffset()
                + "\n"
                + "noRepeatNgramSize="
                + options.getNoRepeatNgramSize()
                + "\n"
                + "truncateSource="
                + options.isTruncateSource()
                + "\n"
                + steering(options)
                + "# DJL Serving: Input -> Output JSON, {\"inputs\": ..., \"parameters\": {...}}\n"
                + "maxInputs="
                + Seq2SeqTranslatorFactory.DEFAULT_MAX_INPUTS
                + "\n"
                + "batch_size="
                + SERVING_BATCH_SIZE
                + "\n"
                + "max_batch_delay="
                + SERVING_BATCH_DELAY_MS
                + "\n";
    }

    /** The n-best and sampling lines of serving.properties, when they differ from the defaults. */
    private static String steering(DecodingOptions options) {
        String out = options.getNBest() > 1 ? "nBest=" + options.getNBest() + "\n" : "";
        if (!options.isSample()) {
            return out;
        }
        return out
                + "sample=true\n"
                + ("temperature=" + options.getTemperature() + "\n")
                + ("topK=" + options.getTopK() + "\n")
                + ("topP=" + options.getTopP() + "\n")
                + ("seed=" + options.getSeed() + "\n");
    }

    /**
     * Lists the files of a model directory that belong to the model, in a fixed order.
     *
     * @param dir the directory
     * @return the file names present among parameters, configuration, tokenizers, properties
     */
    static List<String> modelFiles(Path dir) {
        List<String> names = new ArrayList<>();
        for (String name : MODEL_FILES) {
            if (Files.isRegularFile(dir.resolve(name))) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * Writes the nested {@code metadata.json} of an exported directory, in the layout of a
     * one-model DJL local repository whose files are the model files at the directory's root. Its
     * arguments and options are those of the directory's serving.properties, each file is listed
     * with its SHA-1, and the artifact is named by a hash of the files.
     *
     * @param dir the exported model directory, serving.properties already written
     * @param artifactId the artifact id
     * @param version the artifact version
     * @throws IOException if a file cannot be read or the metadata written
     */
    static void writeEmbedded(Path dir, String artifactId, String version) throws IOException {
        JsonObject artifact = artifact(dir, UP_TO_ROOT, version);
        Path file = Seq2SeqArtifact.metadataFile(dir, artifactId);
        Files.createDirectories(file.getParent());
        Files.writeString(file, GSON.toJson(metadata(artifactId, List.of(artifact))));
    }

    /**
     * Describes the model files of a directory as one artifact of DJL repository metadata.
     *
     * @param dir the directory holding the model files
     * @param uriPrefix the prefix that makes a file name a URI relative to the metadata file
     * @param version the artifact version
     * @return the artifact
     * @throws IOException if a file cannot be read
     */
    static JsonObject artifact(Path dir, String uriPrefix, String version) throws IOException {
        Properties serving = readServingProperties(dir);
        JsonObject arguments = new JsonObject();
        JsonObject options = new JsonObject();
        for (String key : new TreeMap<>(toMap(serving)).keySet()) {
            String value = serving.getProperty(key);
            if (key.startsWith("option.")) {
                options.addProperty(key.substring("option.".length()), value);
            } else {
                arguments.addProperty(key, value); // strings: DJL would read numbers as doubles
            }
        }
        JsonObject files = new JsonObject();
        MessageDigest all = sha1();
        for (String name : modelFiles(dir)) {
            String hash = sha1Hex(dir.resolve(name));
            all.update(name.getBytes(StandardCharsets.UTF_8));
            all.update(hash.getBytes(StandardCharsets.US_ASCII));
            JsonObject item = new JsonObject();
            item.addProperty("uri", uriPrefix + name);
            item.addProperty("name", name);
            item.addProperty("sha1Hash", hash);
            item.addProperty("size", Files.size(dir.resolve(name)));
            files.add(name, item);
        }
        JsonObject artifact = new JsonObject();
        artifact.addProperty("version", version);
        artifact.addProperty("snapshot", false);
        artifact.addProperty("name", Hex.toHexString(all.digest()).substring(0, 16));
        artifact.add("arguments", arguments);
        artifact.add("options", options);
        artifact.add("files", files);
        return artifact;
    }

    /**
     * Builds DJL repository metadata for the artifacts (versions) of one model.
     *
     * @param artifactId the artifact id
     * @param artifacts the artifacts
     * @return the metadata
     */
    static JsonObject metadata(String artifactId, List<JsonObject> artifacts) {
        JsonObject metadata = new JsonObject();
        metadata.addProperty("metadataVersion", METADATA_VERSION);
        metadata.addProperty("resourceType", "model");
        metadata.addProperty("application", Seq2SeqArtifact.APPLICATION);
        metadata.addProperty("groupId", Seq2SeqArtifact.GROUP_ID);
        metadata.addProperty("artifactId", artifactId);
        metadata.addProperty("name", artifactId);
        metadata.addProperty("description", "djl-seq2seq Transformer translation model");
        JsonArray list = new JsonArray();
        artifacts.forEach(list::add);
        metadata.add("artifacts", list);
        return metadata;
    }

    /**
     * Serialises metadata as DJL writes it.
     *
     * @param metadata the metadata
     * @return pretty-printed JSON
     */
    static String toJson(JsonObject metadata) {
        return GSON.toJson(metadata);
    }

    /**
     * Finds and reads the single embedded metadata of an exported directory.
     *
     * @param dir the exported directory
     * @return the metadata, or null if the directory has none
     * @throws IOException if there are several, or one is malformed; the message names the file
     */
    static Embedded readEmbedded(Path dir) throws IOException {
        Path groupDir = Seq2SeqArtifact.artifactDirectory(dir, "x").getParent();
        if (!Files.isDirectory(groupDir)) {
            return null;
        }
        List<Path> found;
        try (Stream<Path> s = Files.list(groupDir)) {
            found =
                    s.map(p -> p.resolve(Seq2SeqArtifact.METADATA))
                            .filter(Files::isRegularFile)
                            .toList();
        }
        if (found.isEmpty()) {
            return null;
        }
        if (found.size() > 1) {
            throw new IOException(dir + ": more than one model metadata file: " + found);
        }
        Path file = found.get(0);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonObject metadata = JsonParser.parseReader(r).getAsJsonObject();
            String artifactId = metadata.get("artifactId").getAsString();
            JsonArray artifacts = metadata.getAsJsonArray("artifacts");
            if (artifacts == null || artifacts.size() != 1) {
                throw new IOException(file + ": expected exactly one artifact");
            }
            JsonObject artifact = artifacts.get(0).getAsJsonObject();
            Map<String, String> sha1 = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : artifact.getAsJsonObject("files").entrySet()) {
                JsonObject item = e.getValue().getAsJsonObject();
                sha1.put(item.get("name").getAsString(), item.get("sha1Hash").getAsString());
            }
            return new Embedded(file, artifactId, artifact.get("version").getAsString(), sha1);
        } catch (JsonParseException | IllegalStateException | NullPointerException e) {
            throw new IOException(file + ": malformed model metadata: " + e.getMessage(), e);
        }
    }

    /**
     * Computes a file's SHA-1, as DJL checks repository files.
     *
     * @param file the file
     * @return lower-case hex
     * @throws IOException if it cannot be read
     */
    static String sha1Hex(Path file) throws IOException {
        MessageDigest md = sha1();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return Hex.toHexString(md.digest());
    }

    private static Properties readServingProperties(Path dir) throws IOException {
        Path file = dir.resolve(Seq2SeqArtifact.SERVING_PROPERTIES);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    private static Map<String, String> toMap(Properties p) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            map.put(key, p.getProperty(key));
        }
        return map;
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-1 is always available", e);
        }
    }

    /**
     * The embedded metadata of an exported directory.
     *
     * @param file the metadata file
     * @param artifactId the artifact id
     * @param version the artifact version
     * @param sha1 SHA-1 of each listed file, by file name
     */
    record Embedded(Path file, String artifactId, String version, Map<String, String> sha1) {}
}
