package io.github.djlseq2seq.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.github.djlseq2seq.data.TextPair;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.train.Checkpoints;
import io.github.djlseq2seq.train.RunLock;
import io.github.djlseq2seq.train.RunRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.testng.annotations.Test;

/**
 * {@code train --out R --resume}: flags not given keep the run's values (sizes included), a flag
 * that contradicts the run and a busy directory are one {@code error:} line, status 1, and leave
 * every file of the run as it was.
 */
public class ResumeCommandTest {

    @Test
    public void resumeKeepsTheRunsSizesAndRefusesContradictionsAndBusyDirectories()
            throws Exception {
        Path dir = Files.createTempDirectory("resume-command");
        Path train = dir.resolve("train.tsv");
        Path dev = dir.resolve("dev.tsv");
        List<TextPair> pairs = BundledCorpus.readTrain().subList(0, 80);
        Files.write(train, pairs.subList(0, 70).stream().map(ResumeCommandTest::tsv).toList());
        Files.write(dev, pairs.subList(70, 80).stream().map(ResumeCommandTest::tsv).toList());
        Path out = dir.resolve("run");
        CliTest.run(
                0,
                "train",
                "--train",
                train.toString(),
                "--dev",
                dev.toString(),
                "--out",
                out.toString(),
                "--d-model",
                "32",
                "--heads",
                "2",
                "--layers",
                "1",
                "--ff",
                "64",
                "--vocab-size",
                "300",
                "--batch-tokens",
                "512",
                "--max-steps",
                "3",
                "--max-minutes",
                "0",
                "--warmup",
                "2",
                "--log-every",
                "1",
                "--samples",
                "1",
                "--beam",
                "1");

        Map<String, String> before = digest(out);
        String err =
                CliTest.run(1, "train", "--out", out.toString(), "--resume", "--d-model", "64")[1];
        assertTrue(err.startsWith("error: cannot resume "), err);
        assertTrue(
                err.contains("--d-model 64 contradicts the run's config.json (modelDim 32)"), err);
        assertEquals(err.strip().lines().count(), 1, err);
        assertEquals(digest(out), before, "a conflicting resume writes nothing");

        try (RunLock held = RunLock.acquire(out)) {
            err = CliTest.run(1, "train", "--out", out.toString(), "--resume")[1];
        }
        assertTrue(
                err.startsWith("error: run directory ")
                        && err.contains("in use by process " + ProcessHandle.current().pid()),
                err);
        assertEquals(digest(out), before, "a refused resume writes nothing");

        // no size flags: the run's own d 32, 1 layer, vocabulary and settings
        String stdout =
                CliTest.run(0, "train", "--out", out.toString(), "--resume", "--max-steps", "5")[0];
        assertTrue(stdout.contains("Resumed from"), stdout);
        TransformerConfig config = TransformerConfig.load(out.resolve("config.json"));
        assertEquals(config.modelDim(), 32);
        assertEquals(config.encoderLayers(), 1);
        assertEquals(config.feedForwardDim(), 64);
        RunRecord record = RunRecord.read(out).orElseThrow();
        assertEquals(record.settings().getMaxSteps(), 5);
        assertEquals(record.settings().getWarmupSteps(), 2);
        assertEquals(record.decoding().getBeamSize(), 1);
        assertEquals(record.trainFile(), train.toAbsolutePath());
        assertFalse(Files.exists(out.resolve(RunLock.FILE_NAME)));
        Checkpoints.deleteTree(dir);
    }

    private static String tsv(TextPair p) {
        return p.source() + "\t" + p.target();
    }

    /** Every file under a directory, by relative path, with its SHA-256. */
    private static Map<String, String> digest(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            Map<String, String> files = new TreeMap<>();
            walk.filter(Files::isRegularFile)
                    .forEach(f -> files.put(root.relativize(f).toString(), sha256(f)));
            return files;
        }
    }

    private static String sha256(Path file) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            return java.util.HexFormat.of().formatHex(hash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
