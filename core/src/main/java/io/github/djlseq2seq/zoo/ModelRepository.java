package io.github.djlseq2seq.zoo;

import ai.djl.MalformedModelException;
import ai.djl.repository.Version;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.djlseq2seq.util.FileUtils;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Publishes exported models into a local DJL model repository, the layout DJL's {@code
 * LocalRepository} reads:
 *
 * <pre>
 *   REPO/model/nlp/machine_translation/io/github/djlseq2seq/ARTIFACT_ID/
 *       metadata.json           every published version, newest first, with file URIs and SHA-1
 *       1.0.0/seq2seq-0000.params, config.json, tokenizer.json, serving.properties
 * </pre>
 *
 * <p>Such a repository is found by {@code Criteria.builder().optModelUrls(repo URL)
 * .optArtifactId(id)}, or through {@link Seq2SeqModelZoo} by {@code optGroupId(}{@value
 * Seq2SeqArtifact#GROUP_ID}{@code ).optArtifactId(id)}.
 */
public final class ModelRepository {

    private ModelRepository() {}

    /**
     * Publishes an exported model under the artifact id and version it was exported with, replacing
     * an earlier publication of the same version. The model is imported and verified first ({@link
     * ModelImporter}), in a temporary directory inside the repository.
     *
     * @param exported an exported model directory or {@code .zip}
     * @param repository the repository root, created if missing
     * @return the directory now holding this version's files
     * @throws IOException if reading or writing fails
     * @throws MalformedModelException if the model fails verification
     */
    public static Path publish(Path exported, Path repository)
            throws IOException, MalformedModelException {
        Files.createDirectories(repository);
        Path tmp = Files.createTempDirectory(repository, ".publish-");
        try {
            Path files = ModelImporter.builder().build().importModel(exported, tmp.resolve("m"));
            ArtifactMetadata.Embedded embedded = ArtifactMetadata.readEmbedded(files);
            if (embedded == null) {
                throw new IOException(
                        exported + " has no metadata.json: export it with ModelExporter");
            }
            FileUtils.deleteTree(files.resolve("model")); // the export's own metadata
            Path artifactDir = Seq2SeqArtifact.artifactDirectory(repository, embedded.artifactId());
            Path versionDir = artifactDir.resolve(embedded.version());
            Files.createDirectories(artifactDir);
            FileUtils.replace(files, versionDir);
            writeMetadata(artifactDir, embedded.artifactId(), embedded.version(), versionDir);
            return versionDir;
        } finally {
            FileUtils.deleteTree(tmp);
        }
    }

    /** Rewrites the artifact's metadata.json with this version added, newest first. */
    private static void writeMetadata(
            Path artifactDir, String artifactId, String version, Path versionDir)
            throws IOException {
        Path file = artifactDir.resolve(Seq2SeqArtifact.METADATA);
        List<JsonObject> artifacts = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                JsonArray old =
                        JsonParser.parseReader(r).getAsJsonObject().getAsJsonArray("artifacts");
                for (JsonElement e : old) {
                    JsonObject a = e.getAsJsonObject();
                    if (!version.equals(a.get("version").getAsString())) {
                        artifacts.add(a);
                    }
                }
            } catch (JsonParseException | IllegalStateException | NullPointerException e) {
                throw new IOException(
                        file + ": malformed repository metadata: " + e.getMessage(), e);
            }
        }
        artifacts.add(ArtifactMetadata.artifact(versionDir, version + "/", version));
        artifacts.sort(
                Comparator.comparing((JsonObject a) -> new Version(a.get("version").getAsString()))
                        .reversed());
        FileUtils.writeAtomically(
                file, ArtifactMetadata.toJson(ArtifactMetadata.metadata(artifactId, artifacts)));
    }
}
