package io.github.djlseq2seq.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.github.djlseq2seq.precision.Bf16Support;
import io.github.djlseq2seq.precision.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The training API's precision: bf16 where the device supports it (a different but close loss
 * curve), fp32 with the request recorded where it does not, and the recorded precision kept on
 * resume.
 */
public class PrecisionTrainingTest {

    private Path root;
    private Path trainTsv;

    @BeforeClass
    public void writeCorpus() throws IOException {
        root = Files.createTempDirectory("precision-training");
        trainTsv = root.resolve("train.tsv");
        Seq2SeqTrainingTest.writeCorpus(trainTsv, root.resolve("dev.tsv"));
    }

    @AfterClass
    public void deleteCorpus() throws IOException {
        Checkpoints.deleteTree(root);
    }

    @Test
    public void bf16TrainsCloseToFp32ButNotIdentically() throws Exception {
        Path fp32 = root.resolve("fp32");
        Path bf16 = root.resolve("bf16");
        List<String> fp32Log = new ArrayList<>();
        List<String> bf16Log = new ArrayList<>();
        train(fp32, Precision.FP32, Bf16Support.of(d -> true), 12, false, fp32Log);
        train(bf16, Precision.BF16, Bf16Support.of(d -> true), 12, false, bf16Log);
        assertTrue(fp32Log.contains("precision: fp32"), String.join("\n", fp32Log));
        assertTrue(
                bf16Log.stream().anyMatch(l -> l.startsWith("precision: bf16 (matrix products")),
                String.join("\n", bf16Log));
        Map<Integer, Double> exact = TrainingLoopTest.losses(fp32);
        Map<Integer, Double> mixed = TrainingLoopTest.losses(bf16);
        assertEquals(mixed.keySet(), exact.keySet());
        assertNotEquals(mixed.get(12), exact.get(12), "bf16 gave fp32's loss: bf16 not used");
        for (int step : exact.keySet()) {
            double relative = Math.abs(mixed.get(step) - exact.get(step)) / exact.get(step);
            assertTrue(relative < 0.02, "step " + step + ": " + mixed + " vs " + exact);
        }
    }

    @Test
    public void withoutBf16TheRunTrainsInFp32AndKeepsTheRequest() throws Exception {
        Path run = root.resolve("fallback");
        Path reference = root.resolve("fallback-reference");
        List<String> log = new ArrayList<>();
        train(run, Precision.BF16, Bf16Support.of(d -> false), 4, false, log);
        train(reference, Precision.FP32, Bf16Support.of(d -> false), 4, false, new ArrayList<>());
        assertTrue(log.contains("precision: fp32"), String.join("\n", log));
        assertEquals(TrainingLoopTest.losses(run), TrainingLoopTest.losses(reference));
        // the request is recorded: a resume on a machine with bf16 trains in bf16
        assertEquals(RunRecord.read(run).orElseThrow().settings().getPrecision(), Precision.BF16);
        List<String> resumed = new ArrayList<>();
        train(run, null, Bf16Support.of(d -> true), 6, true, resumed);
        assertTrue(
                resumed.stream().anyMatch(l -> l.startsWith("precision: bf16")),
                String.join("\n", resumed));
    }

    @Test
    public void olderRecordsWithoutAPrecisionReadAsFp32() {
        String json = TrainingSettings.builder().optMaxSteps(3).build().toJson();
        String old = json.replaceAll(",\\s*\"precision\": \"FP32\"", "");
        assertTrue(!old.contains("precision"), old);
        assertEquals(TrainingSettings.fromJson(old).getPrecision(), Precision.FP32);
        String bf16 = TrainingSettings.builder().optPrecision(Precision.BF16).build().toJson();
        assertEquals(TrainingSettings.fromJson(bf16).getPrecision(), Precision.BF16);
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> TrainingSettings.fromJson("{\"precision\": \"FP16\"}"));
        assertTrue(e.getMessage().contains("unknown precision \"FP16\""), e.getMessage());
    }

    private void train(
            Path out,
            Precision precision,
            Bf16Support support,
            int steps,
            boolean resume,
            List<String> log)
            throws Exception {
        TrainingSettings.Builder settings =
                TrainingSettings.builder()
                        .optMaxSteps(steps)
                        .optWarmupSteps(4)
                        .optPeakLearningRate(3e-3f)
                        .optLogEvery(1)
                        .optSeed(5);
        if (precision != null) {
            settings.optPrecision(precision);
        }
        Seq2SeqTraining.builder()
                .setTrainFile(trainTsv)
                .setOutputDir(out)
                .optVocabSize(300)
                .optBatchTokens(256)
                .optConfig(
                        c ->
                                c.optModelDim(32)
                                        .optEncoderLayers(1)
                                        .optDecoderLayers(1)
                                        .optFeedForwardDim(64)
                                        .optDropout(0f))
                .optSettings(settings.build())
                .optBf16Support(support)
                .optResume(resume)
                .optLog(log::add)
                .build()
                .run();
    }
}
