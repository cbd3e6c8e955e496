package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.testng.annotations.Test;

/**
 * Every kind of bad artifact is refused with an error naming the file, by DJL's Criteria (through
 * the library's factories) and by {@link ModelImporter}, and nothing is written outside the target.
 *
 * <p>Criteria loads an exported directory in place, so a file changed after export is caught by the
 * structural checks of the block and translator factories. The importer first compares each file
 * with the SHA-1 listed in the export's metadata.json; its structural checks are tested on
 * "resealed" artifacts, whose metadata was rewritten after the change, as a hand-made or badly
 * built artifact would be.
 */
public class BadArtifactTest {

    @Test
    public void missingParameters() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            Path dir = f.export("model");
            Files.delete(dir.resolve(Seq2SeqArtifact.PARAMETERS));
            assertRefused(f, dir, Seq2SeqArtifact.PARAMETERS);
            reseal(dir);
            String message = assertRefused(f, dir, Seq2SeqArtifact.PARAMETERS)[0];
            assertTrue(message.contains("Missing parameter file"), message);
        }
    }

    @Test
    public void truncatedParameters() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            Path dir = f.export("model");
            Path params = dir.resolve(Seq2SeqArtifact.PARAMETERS);
            try (FileChannel ch = FileChannel.open(params, StandardOpenOption.WRITE)) {
                ch.truncate(ch.size() / 2);
            }
            String[] messages = assertRefused(f, dir, Seq2SeqArtifact.PARAMETERS);
            assertTrue(messages[0].contains("is truncated"), messages[0]);
            assertTrue(messages[1].contains("SHA-1"), messages[1]);
            reseal(dir);
            messages = assertRefused(f, dir, Seq2SeqArtifact.PARAMETERS);
            assertTrue(messages[0].contains("is truncated"), messages[0]);
            assertTrue(messages[1].contains("is truncated"), messages[1]);
        }
    }

    @Test
    public void corruptedParameters() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            Path dir = f.export("model");
            Path params = dir.resolve(Seq2SeqArtifact.PARAMETERS);
            byte[] random = new byte[Math.toIntExact(Files.size(params))];
            new Random(7).nextBytes(random);
            Files.write(params, random);
            String[] messages = assertRefused(f, dir, Seq2SeqArtifact.PARAMETERS);
            assertTrue(messages[0].contains("not a DJL parameter file"), messages[0]);
            assertTrue(messages[1].contains("SHA-1"), messages[1]);
            reseal(dir);
            messages = assertRefused(f, dir, Seq2SeqArtifact.PARAMETERS);
            assertTrue(messages[0].contains("not a DJL parameter file"), messages[0]);
            assertTrue(messages[1].contains("not a DJL parameter file"), messages[1]);
        }
    }

    @Test
    public void configThatDoesNotMatchTheParameters() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            Path dir = f.export("model");
            // a valid configuration, but twice as wide as the saved parameters
            ExportFixture.config(f.tokenizer.size(), 32).save(dir.resolve(Seq2SeqArtifact.CONFIG));
            reseal(dir);
            String message = assertRefused(f, dir, Seq2SeqArtifact.PARAMETERS)[0];
            assertTrue(message.contains("has shape"), message);
            assertTrue(
                    message.contains("configuration makes it (" + f.tokenizer.size() + ", 32)"),
                    message);
        }
    }

    @Test
    public void tokenizerOfAnotherVocabularySize() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            Path dir = f.export("model");
            BpeTokenizer other =
                    BpeTokenizer.train(
                            ExportFixture.TEXTS,
                            BpeTrainingConfig.builder().optVocabSize(270).build());
            assertNotEquals(other.size(), f.tokenizer.size());
            other.save(dir.resolve(Seq2SeqArtifact.TOKENIZER));
            reseal(dir);
            String message = assertRefused(f, dir, Seq2SeqArtifact.TOKENIZER)[0];
            assertTrue(message.contains("tokens but the model's sourceVocabSize"), message);
        }
    }

    @Test
    public void zipWithPathTraversal() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            Path good = f.export("good.zip");
            // "../" climbs out of wherever the zip is extracted; enough of them reach "/"
            Path outside = f.root.resolve("outside-" + System.nanoTime() + ".txt");
            Path evil = f.root.resolve("evil.zip");
            copyZip(
                    good,
                    evil,
                    "../escaped.txt",
                    "../".repeat(40) + outside.toString().substring(1));
            Map<String, Long> before = snapshot(f.root);
            // DJL's own extraction (ZipUtils) refuses the entry
            Criteria<String, String> criteria =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelPath(evil)
                            .optEngine("PyTorch")
                            .optTranslatorFactory(new DeferredTranslatorFactory())
                            .build();
            Exception djl = expectThrows(Exception.class, () -> load(criteria));
            assertTrue(djl.getMessage().contains("../escaped.txt"), djl.getMessage());
            // and so does the importer, before writing anything
            Path target = f.root.resolve("imported");
            Exception ours =
                    expectThrows(
                            IOException.class,
                            () -> ModelImporter.builder().build().importModel(evil, target));
            assertTrue(
                    ours.getMessage().contains("unsafe entry name ../escaped.txt"),
                    ours.getMessage());
            assertTrue(ours.getMessage().contains(evil.toString()), ours.getMessage());
            assertFalse(Files.exists(target));
            assertFalse(Files.exists(outside));
            assertEquals(snapshot(f.root), before);
            try (Stream<Path> all = Files.walk(f.root)) {
                assertTrue(all.noneMatch(p -> p.endsWith("escaped.txt")));
            }
        }
    }

    @Test
    public void zipBomb() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            Path good = f.export("good.zip");
            Path bomb = f.root.resolve("bomb.zip");
            long zeros = 64L << 20; // 64 MiB that deflate to about 64 KiB
            copyZip(good, bomb, zeros);
            assertTrue(Files.size(bomb) < zeros / 200, "a compact bomb: " + Files.size(bomb));
            Map<String, Long> before = snapshot(f.root);
            Path target = f.root.resolve("imported");

            // the real size gives it away while extracting: 1000:1
            Exception ratio =
                    expectThrows(
                            IOException.class,
                            () -> ModelImporter.builder().build().importModel(bomb, target));
            assertTrue(
                    ratio.getMessage()
                            .contains(Seq2SeqArtifact.PARAMETERS + " expands more than 100 times"),
                    ratio.getMessage());
            assertFalse(Files.exists(target));

            // an absurd declared size is refused before anything is written
            Exception declared =
                    expectThrows(
                            IOException.class,
                            () ->
                                    ModelImporter.builder()
                                            .optMaxBytes(32L << 20)
                                            .optMaxRatio(Integer.MAX_VALUE)
                                            .build()
                                            .importModel(bomb, target));
            assertTrue(
                    declared.getMessage().contains("declared uncompressed size"),
                    declared.getMessage());
            assertFalse(Files.exists(target));

            // a header that understates the size does not help: the bytes are counted
            Path liar = f.root.resolve("liar.zip");
            Files.copy(bomb, liar);
            understateSize(liar, Seq2SeqArtifact.PARAMETERS, 1000);
            try (ZipFile zf = new ZipFile(liar.toFile())) {
                assertEquals(zf.getEntry(Seq2SeqArtifact.PARAMETERS).getSize(), 1000);
            }
            Exception counted =
                    expectThrows(
                            IOException.class,
                            () ->
                                    ModelImporter.builder()
                                            .optMaxRatio(Integer.MAX_VALUE)
                                            .build()
                                            .importModel(liar, target));
            assertTrue(
                    counted.getMessage().contains("beyond its declared 1000 bytes"),
                    counted.getMessage());
            assertFalse(Files.exists(target));
            before.put("liar.zip", Files.size(liar));
            assertEquals(snapshot(f.root), before);
        }
    }

    /**
     * Checks that Criteria and the importer both refuse an exported directory with a message naming
     * the file, and that neither writes outside DJL's cache and the import target.
     *
     * @return the Criteria error's message and the importer's
     */
    private static String[] assertRefused(ExportFixture f, Path dir, String file) throws Exception {
        Map<String, Long> before = snapshot(f.root);
        Criteria<String, String> criteria =
                Criteria.builder()
                        .setTypes(String.class, String.class)
                        .optModelPath(dir)
                        .optEngine("PyTorch")
                        .build();
        Exception djl = expectThrows(Exception.class, () -> load(criteria));
        assertTrue(djl.getMessage().contains(file), "names " + file + ": " + djl);
        Path target = f.root.resolve("imported");
        Exception ours =
                expectThrows(
                        Exception.class,
                        () -> ModelImporter.builder().build().importModel(dir, target));
        assertTrue(
                ours.getMessage().contains(target.resolve(file).toString()),
                "names " + file + ": " + ours);
        assertFalse(Files.exists(target), "a failed import leaves no target");
        assertEquals(snapshot(f.root), before);
        return new String[] {djl.getMessage(), ours.getMessage()};
    }

    private static void load(Criteria<String, String> criteria) throws Exception {
        try (ZooModel<String, String> model = criteria.loadModel()) {
            throw new AssertionError("loaded a bad artifact: " + model.getModelPath());
        }
    }

    /** Rewrites the embedded metadata (file list and SHA-1s) of a changed export. */
    private static void reseal(Path dir) throws IOException {
        ArtifactMetadata.writeEmbedded(dir, "tiny", ModelExporter.DEFAULT_VERSION);
    }

    /** Every file under the scratch root, except DJL's cache, with its size. */
    private static Map<String, Long> snapshot(Path root) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        Path cache = root.resolve("djl-cache");
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p :
                    walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(cache)).toList()) {
                files.put(root.relativize(p).toString(), Files.size(p));
            }
        }
        return files;
    }

    /** Copies a zip, adding entries with the given names. */
    private static void copyZip(Path from, Path to, String... extraNames) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                in.getInputStream(e).transferTo(out);
            }
            for (String name : extraNames) {
                out.putNextEntry(new ZipEntry(name));
                out.write("written outside".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    /** Copies a zip, replacing its parameters by that many zero bytes. */
    private static void copyZip(Path from, Path to, long zeros) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                if (!e.getName().equals(Seq2SeqArtifact.PARAMETERS)) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    in.getInputStream(e).transferTo(out);
                }
            }
            out.putNextEntry(new ZipEntry(Seq2SeqArtifact.PARAMETERS));
            byte[] block = new byte[1 << 20];
            for (long n = 0; n < zeros; n += block.length) {
                out.write(block);
            }
        }
    }

    /** Patches the uncompressed size of an entry in the zip's central directory. */
    private static void understateSize(Path zip, String name, int size) throws IOException {
        byte[] bytes = Files.readAllBytes(zip);
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] wanted = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i + 46 < bytes.length; i++) {
            if (bb.getInt(i) == 0x02014b50 && bb.getShort(i + 28) == wanted.length) {
                String entry =
                        new String(
                                bytes,
                                i + 46,
                                wanted.length,
                                java.nio.charset.StandardCharsets.UTF_8);
                if (entry.equals(name)) {
                    bb.putInt(i + 24, size);
                    try (OutputStream out = Files.newOutputStream(zip)) {
                        out.write(bytes);
                    }
                    return;
                }
            }
        }
        throw new AssertionError("no central directory entry " + name);
    }
}
