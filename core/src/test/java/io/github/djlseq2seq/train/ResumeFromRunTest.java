package io.github.djlseq2seq.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A resumed run takes its model, tokenizer and settings from the run directory; a value that
 * contradicts them, a damaged checkpoint, a missing configuration or a busy directory fails and
 * leaves every file of the run byte for byte as it was.
 */
public class ResumeFromRunTest {

    private Path root;
    private Path run;
    private Path trainTsv;
    private Path devTsv;

    /** A 6-step run with non-default sizes and settings. */
    @BeforeClass
    public void trainSixSteps() throws Exception {
        root = Files.createTempDirectory("resume-from-run");
        trainTsv = root.resolve("train.tsv");
        devTsv = root.resolve("dev.tsv");
        Seq2SeqTrainingTest.writeCorpus(trainTsv, devTsv);
        run = root.resolve("run");
        TrainingResult first =
                Seq2SeqTraining.builder()
                        .setTrainFile(trainTsv)
                        .optDevFile(devTsv)
                        .setOutputDir(run)
                        .optVocabSize(300)
                        .optBatchTokens(256)
                        .optConfig(
                                c ->
                                        c.optModelDim(32)
                                                .optNumHeads(2)
                                                .optEncoderLayers(1)
                                                .optDecoderLayers(1)
                                                .optFeedForwardDim(64)
                                                .optDropout(0f))
                        .optSettings(
                                TrainingSettings.builder()
                                        .optMaxSteps(6)
                                        .optWarmupSteps(4)
                                        .optPeakLearningRate(3e-3f)
                                        .optLogEvery(1)
                                        .optSeed(5)
                                        .build())
                        .optLog(line -> {})
                        .build()
                        .run();
        assertEquals(first.finalStep(), 6);
    }

    @AfterClass(alwaysRun = true)
    public void deleteRuns() throws IOException {
        Checkpoints.deleteTree(root);
    }

    private static Seq2SeqTraining.Builder resume(Path dir) {
        return Seq2SeqTraining.builder().setOutputDir(dir).optResume(true).optLog(line -> {});
    }

    @Test
    public void conflictingValuesNameBothAndLeaveTheRunUnchanged() throws Exception {
        Map<String, String> before = digest(run);
        ResumeConflictException e =
                expectThrows(
                        ResumeConflictException.class,
                        () -> resume(run).optConfig(c -> c.optModelDim(64)).build().run());
        assertTrue(
                e.getMessage()
                        .contains("modelDim 64 contradicts the run's config.json (modelDim 32)"),
                e.getMessage());
        e =
                expectThrows(
                        ResumeConflictException.class,
                        () ->
                                resume(run)
                                        .optVocabSize(500)
                                        .optSettings(TrainingSettings.builder().optSeed(6).build())
                                        .build()
                                        .run());
        assertTrue(
                e.getMessage().contains("seed 6 contradicts the run's training.json (seed 5)"),
                e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(
                                "vocabSize 500 contradicts the run's training.json (vocabSize 300)"),
                e.getMessage());
        assertEquals(e.getConflicts().size(), 2);
        assertEquals(digest(run), before);
    }

    @Test
    public void busyRunDirectoryFailsAndIsLeftUnchanged() throws Exception {
        Map<String, String> before = digest(run);
        try (RunLock held = RunLock.acquire(run)) {
            RunLock.RunLockedException e =
                    expectThrows(RunLock.RunLockedException.class, () -> resume(run).build().run());
            assertTrue(
                    e.getMessage().contains("process " + ProcessHandle.current().pid()),
                    e.getMessage());
        }
        assertEquals(digest(run), before);
    }

    @Test
    public void damagedCheckpointFailsBeforeAnythingIsWritten() throws Exception {
        Path copy = copy(run, root.resolve("damaged"));
        Path latest = new Checkpoints(copy.resolve("checkpoints"), 2).latest().orElseThrow();
        try (FileChannel params =
                FileChannel.open(latest.resolve("parameters.params"), StandardOpenOption.WRITE)) {
            params.truncate(params.size() / 2);
        }
        Map<String, String> before = digest(copy);
        IOException e =
                expectThrows(
                        IOException.class,
                        () ->
                                resume(copy)
                                        .optSettings(
                                                TrainingSettings.builder().optMaxSteps(8).build())
                                        .build()
                                        .run());
        assertTrue(e.getMessage().contains("parameters.params"), e.getMessage());
        assertEquals(digest(copy), before);
    }

    @Test
    public void missingConfigurationFailsBeforeAnythingIsWritten() throws Exception {
        Path copy = copy(run, root.resolve("no-config"));
        Files.delete(copy.resolve("config.json"));
        Map<String, String> before = digest(copy);
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> resume(copy).build().run());
        assertTrue(e.getMessage().contains("no config.json"), e.getMessage());
        assertEquals(digest(copy), before);
    }

    /** Last: it continues the run. */
    @Test(
            dependsOnMethods = {
                "conflictingValuesNameBothAndLeaveTheRunUnchanged",
                "busyRunDirectoryFailsAndIsLeftUnchanged",
                "damagedCheckpointFailsBeforeAnythingIsWritten",
                "missingConfigurationFailsBeforeAnythingIsWritten"
            })
    public void resumeWithoutRepeatingTheSizesContinuesTheRun() throws Exception {
        List<String> log = new ArrayList<>();
        TrainingResult result =
                Seq2SeqTraining.builder()
                        .setOutputDir(run)
                        .optResume(true)
                        .optSettings(TrainingSettings.builder().optMaxSteps(8).build())
                        .optLog(log::add)
                        .build()
                        .run();
        assertEquals(result.finalStep(), 8);
        assertEquals(result.config().modelDim(), 32);
        assertEquals(result.config().numHeads(), 2);
        assertEquals(result.config().feedForwardDim(), 64);
        assertTrue(
                log.stream().anyMatch(l -> l.matches("Resumed from .* at step 6")), log.toString());
        assertFalse(log.stream().anyMatch(l -> l.startsWith("tokenizer:")), "tokenizer reused");
        RunRecord record = RunRecord.read(run).orElseThrow();
        assertEquals(record.settings().getMaxSteps(), 8, "the new budget is recorded");
        assertEquals(record.settings().getSeed(), 5);
        assertEquals(record.settings().getPeakLearningRate(), 3e-3f);
        assertEquals(record.vocabSize(), 300);
        assertEquals(record.batchTokens(), 256);
        assertEquals(record.trainFile(), trainTsv.toAbsolutePath());
        assertEquals(record.devFile(), devTsv.toAbsolutePath());
        assertEquals(result.devHypotheses().size(), 8, "the recorded dev file is translated");
        assertFalse(Files.exists(run.resolve(RunLock.FILE_NAME)), "lock released");
    }

    @Test
    public void settingsRoundTripThroughJson() {
        TrainingSettings s =
                TrainingSettings.builder()
                        .optMaxMinutes(2.5)
                        .optPeakLearningRate(2e-3f)
                        .optDecay(TrainingSettings.Decay.LINEAR_TO_BUDGET)
                        .optLabelSmoothing(0f)
                        .optSeed(7)
                        .build();
        TrainingSettings back = TrainingSettings.fromJson(s.toJson());
        assertEquals(back.toJson(), s.toJson());
        assertEquals(back.getDecay(), TrainingSettings.Decay.LINEAR_TO_BUDGET);
        assertEquals(back.getMaxMinutes(), 2.5);
        assertEquals(back.getSeed(), 7);
        assertEquals(back.getWarmupSteps(), 4000, "an absent key takes the default");
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> TrainingSettings.fromJson("{\"warmupSteps\": 0}"));
        assertTrue(e.getMessage().contains("warmupSteps"), e.getMessage());
    }

    /** SHA-256 of every file under a directory, by relative path. */
    static Map<String, String> digest(Path dir) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                sums.put(dir.relativize(f).toString(), sha256(Files.readAllBytes(f)));
            }
        }
        assertFalse(sums.isEmpty());
        return sums;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }
}
