package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.util.Utils;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.testng.annotations.Test;

/**
 * Export, then load in a fresh JVM whose class path holds only the library and DJL: the
 * translations and logits are those computed before export, from the directory, the zip and a
 * {@code file:} URL.
 */
public class RoundTripTest {

    /** Class path entries (Maven repository paths) that belong to DJL and its dependencies. */
    private static final List<String> DJL =
            List.of(
                    "/ai/djl/api/",
                    "/ai/djl/pytorch/",
                    "/com/google/code/gson/",
                    "/net/java/dev/jna/",
                    "/org/slf4j/");

    @Test
    public void freshJvmTranslatesAndScoresAsBeforeExport() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            List<String> before = f.translate(ExportFixture.INPUTS);
            float[] logits = f.logits();
            Path dir = f.export("model");
            Path zip = f.export("model.zip");
            String url = dir.toUri().toString();
            List<String> classPath = childClassPath(f.root.resolve("main"));

            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-cp");
            command.add(String.join(File.pathSeparator, classPath));
            command.add("-Dai.djl.offline=true");
            command.add("-DDJL_CACHE_DIR=" + f.root.resolve("child-cache"));
            command.add("-DENGINE_CACHE_DIR=" + Utils.getEngineCacheDir());
            command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
            command.add(RoundTripMain.class.getName());
            command.add(dir.toString());
            command.add(zip.toString());
            command.add(url);
            command.add("--");
            command.addAll(ExportFixture.INPUTS);
            Path stdout = f.root.resolve("child.out");
            Path stderr = f.root.resolve("child.err");
            Process child =
                    new ProcessBuilder(command)
                            .redirectOutput(stdout.toFile())
                            .redirectError(stderr.toFile())
                            .start();
            assertTrue(child.waitFor(5, TimeUnit.MINUTES), "child JVM timed out");
            String errors = Files.readString(stderr, StandardCharsets.UTF_8);
            assertEquals(child.exitValue(), 0, "child JVM failed:\n" + errors);

            Map<String, List<String>> translations = new HashMap<>();
            Map<String, float[]> scores = new HashMap<>();
            for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ", -1);
                if (parts[0].equals("translations")) {
                    List<String> texts = new ArrayList<>();
                    for (int i = 2; i < parts.length; i++) {
                        byte[] utf8 = Base64.getDecoder().decode(parts[i]);
                        texts.add(new String(utf8, StandardCharsets.UTF_8));
                    }
                    translations.put(parts[1], texts);
                } else if (parts[0].equals("logits")) {
                    float[] values = new float[parts.length - 2];
                    for (int i = 2; i < parts.length; i++) {
                        values[i - 2] = Float.parseFloat(parts[i]);
                    }
                    scores.put(parts[1], values);
                }
            }
            for (String location : List.of(dir.toString(), zip.toString(), url)) {
                assertEquals(translations.get(location), before, location);
                float[] loaded = scores.get(location);
                assertEquals(loaded.length, logits.length, location);
                float worst = 0;
                for (int i = 0; i < logits.length; i++) {
                    worst = Math.max(worst, Math.abs(loaded[i] - logits[i]));
                }
                assertTrue(worst <= 1e-5f, location + ": logits differ by " + worst);
            }
        }
    }

    /**
     * The library's classes, DJL's jars, and a directory holding only {@link RoundTripMain}: none
     * of the test classes, TestNG, or the library's other dependencies.
     */
    private static List<String> childClassPath(Path mainDir)
            throws IOException, URISyntaxException {
        Path library = codeSource(Seq2SeqTransformer.class);
        Path tests = codeSource(RoundTripMain.class);
        Path pkg = Path.of(RoundTripMain.class.getPackageName().replace('.', '/'));
        Files.createDirectories(mainDir.resolve(pkg));
        try (Stream<Path> classes = Files.list(tests.resolve(pkg))) {
            for (Path c : classes.toList()) {
                if (c.getFileName().toString().startsWith("RoundTripMain")) {
                    Files.copy(c, mainDir.resolve(pkg).resolve(c.getFileName()));
                }
            }
        }
        // surefire may start the test JVM from a manifest-only jar; it keeps the real path here
        String full =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> entries = new ArrayList<>();
        entries.add(library.toString());
        entries.add(mainDir.toString());
        for (String entry : full.split(File.pathSeparator)) {
            String unix = entry.replace('\\', '/');
            if (DJL.stream().anyMatch(unix::contains) && unix.endsWith(".jar")) {
                entries.add(entry);
            }
        }
        assertTrue(
                entries.stream().anyMatch(e -> e.contains("pytorch-engine")), entries.toString());
        assertFalse(entries.contains(tests.toString()));
        assertFalse(
                entries.stream().anyMatch(e -> e.contains("testng") || e.contains("jfreechart")));
        return entries;
    }

    private static Path codeSource(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
