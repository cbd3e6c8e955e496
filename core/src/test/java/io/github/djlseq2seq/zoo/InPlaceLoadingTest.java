package io.github.djlseq2seq.zoo;

import static io.github.djlseq2seq.zoo.CriteriaLoadingTest.plain;
import static io.github.djlseq2seq.zoo.CriteriaLoadingTest.translate;
import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.util.Utils;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.testng.annotations.Test;

/**
 * A model's files changed after a first load are used by the next load, or refused with an error
 * naming the file; never served from an earlier copy.
 */
public class InPlaceLoadingTest {

    @Test
    public void directoryIsLoadedInPlaceAndChangesAreUsed() throws Exception {
        try (ExportFixture first = new ExportFixture(1);
                ExportFixture second = new ExportFixture(2)) {
            List<String> old = first.translate(ExportFixture.INPUTS);
            List<String> retrained = second.translate(ExportFixture.INPUTS);
            assertNotEquals(old, retrained);
            Path dir = first.export("model");
            Path params = dir.resolve(Seq2SeqArtifact.PARAMETERS);
            Path other = second.export("other").resolve(Seq2SeqArtifact.PARAMETERS);
            try (ZooModel<String, String> model = plain(dir).loadModel()) {
                assertEquals(model.getModelPath(), dir.toAbsolutePath());
            }
            assertEquals(translate(plain(dir)), old);
            assertEquals(cachedFiles(), List.of(), "nothing is copied into DJL's cache");

            // a retrained model's parameters replace the file: the next load uses them
            Files.copy(other, params, StandardCopyOption.REPLACE_EXISTING);
            assertEquals(translate(plain(dir)), retrained);
            // so does a symbolic link to them
            Files.copy(
                    first.export("again").resolve(Seq2SeqArtifact.PARAMETERS),
                    params,
                    StandardCopyOption.REPLACE_EXISTING);
            assertEquals(translate(plain(dir)), old);
            Files.delete(params);
            Files.createSymbolicLink(params, other);
            assertEquals(translate(plain(dir)), retrained);

            // serving.properties is read at each load as well
            Path serving = dir.resolve(Seq2SeqArtifact.SERVING_PROPERTIES);
            Files.writeString(
                    serving, Files.readString(serving).replace("beamSize=1", "beamSize=3"));
            try (ZooModel<String, String> model = plain(dir).loadModel()) {
                Seq2SeqTranslator translator = (Seq2SeqTranslator) model.getTranslator();
                assertEquals(translator.getOptions().getBeamSize(), 3);
            }
            assertEquals(cachedFiles(), List.of());
        }
    }

    @Test
    public void brokenFilesAfterAGoodLoadAreRefusedByName() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            Path dir = f.export("model");
            Path params = dir.resolve(Seq2SeqArtifact.PARAMETERS);
            Path config = dir.resolve(Seq2SeqArtifact.CONFIG);
            Path tokenizer = dir.resolve(Seq2SeqArtifact.TOKENIZER);
            List<String> good = f.translate(ExportFixture.INPUTS);
            assertEquals(translate(plain(dir)), good);

            byte[] saved = Files.readAllBytes(params);
            try (FileChannel ch = FileChannel.open(params, StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() / 2);
            }
            assertRefused(dir, params, "is truncated");
            Files.delete(params);
            Files.createSymbolicLink(params, tokenizer); // a link to a file that is no parameters
            assertRefused(dir, params, "is not a DJL parameter file");
            Files.delete(params);
            Files.write(params, saved);
            assertEquals(translate(plain(dir)), good);

            String json = Files.readString(config);
            Files.writeString(config, "{\"modelDim\": ");
            assertRefused(dir, config, "");
            Files.writeString(config, json);

            Files.writeString(tokenizer, "");
            assertRefused(dir, tokenizer, "");
        }
    }

    @Test
    public void zipRewrittenAtTheSamePathIsExtractedAgain() throws Exception {
        try (ExportFixture first = new ExportFixture(1);
                ExportFixture second = new ExportFixture(2)) {
            List<String> expected = second.translate(ExportFixture.INPUTS);
            Path zip = first.root.resolve("m.zip");
            ModelExporter.export(
                    first.model, first.tokenizer, first.tokenizer, first.options, zip, false);
            Criteria<String, String> kept = plain(zip);
            assertEquals(translate(kept), first.translate(ExportFixture.INPUTS));
            assertEquals(translate(plain(zip)), first.translate(ExportFixture.INPUTS));
            List<Path> extracted = cachedFiles();
            assertEquals(extracted.size(), 1, extracted.toString());

            ModelExporter.export(
                    second.model, second.tokenizer, second.tokenizer, second.options, zip, true);
            assertEquals(translate(plain(zip)), expected);
            // a Criteria built before the change sees it too
            assertEquals(translate(kept), expected);
            List<Path> now = cachedFiles();
            assertEquals(now.size(), 1, "the former extraction is removed: " + now);
            assertNotEquals(now, extracted);
            assertEquals(
                    now.get(0).getParent().getFileName().toString(),
                    ArtifactMetadata.sha1Hex(zip),
                    "named by the zip's content");

            // the same content rewritten at the same path reuses the extraction
            Path copy = second.root.resolve("copy.zip");
            Files.copy(zip, copy);
            Files.move(copy, zip, StandardCopyOption.REPLACE_EXISTING);
            assertEquals(translate(plain(zip)), expected);
            assertEquals(cachedFiles(), now);
        }
    }

    @Test
    public void publishedRepositoryIsLoadedInPlace() throws Exception {
        try (ExportFixture first = new ExportFixture(1);
                ExportFixture second = new ExportFixture(2)) {
            Path repo = first.root.resolve("repo");
            Path version = ModelRepository.publish(first.export("tiny"), repo);
            assertEquals(
                    translate(ModelZooTest.byArtifactId(repo)),
                    first.translate(ExportFixture.INPUTS));
            assertEquals(cachedFiles(), List.of());
            Files.copy(
                    second.export("v2").resolve(Seq2SeqArtifact.PARAMETERS),
                    version.resolve(Seq2SeqArtifact.PARAMETERS),
                    StandardCopyOption.REPLACE_EXISTING);
            assertEquals(
                    translate(ModelZooTest.byArtifactId(repo)),
                    second.translate(ExportFixture.INPUTS));
        }
    }

    /** Loads the directory through a new Criteria; checks the error names the file. */
    private static void assertRefused(Path dir, Path file, String detail) {
        Exception e = expectThrows(Exception.class, () -> translate(plain(dir)));
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains(file.toString()), "names " + file + ": " + e);
        assertTrue(message.contains(detail), e.toString());
        assertFalse(message.contains("djl-cache"), "not a copy: " + message);
    }

    /** The parameter files in DJL's cache (the scratch directory of the last fixture opened). */
    private static List<Path> cachedFiles() throws IOException {
        Path cache = Utils.getCacheDir();
        assertTrue(cache.toString().contains("zoo-test"), "a scratch cache: " + cache);
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(cache)) {
            return walk.filter(p -> p.endsWith(Seq2SeqArtifact.PARAMETERS)).sorted().toList();
        }
    }
}
