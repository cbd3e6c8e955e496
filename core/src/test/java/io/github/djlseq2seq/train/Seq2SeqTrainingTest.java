package io.github.djlseq2seq.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.zoo.ModelImporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The training API end to end on a tiny corpus: README's snippet trains, exports a model that
 * loads, and a resumed run continues the checkpoint's curve.
 */
public class Seq2SeqTrainingTest {

    private static final String[] EN = {
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"
    };
    private static final String[] ES = {
        "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez"
    };

    private Path root;
    private Path trainTsv;
    private Path devTsv;

    /**
     * Number words, English to Spanish: 40 training pairs (10 of them one word 8 times, which
     * bucketing batches apart and which the model learns fast) and 8 dev pairs of 2 to 5 words.
     */
    @BeforeClass
    public void writeCorpus() throws IOException {
        root = Files.createTempDirectory("seq2seq-training");
        trainTsv = root.resolve("train.tsv");
        devTsv = root.resolve("dev.tsv");
        writeCorpus(trainTsv, devTsv);
    }

    /**
     * Writes the number-word corpus.
     *
     * @param trainTsv receives the 40 training pairs
     * @param devTsv receives the 8 dev pairs
     * @throws IOException if a file cannot be written
     */
    static void writeCorpus(Path trainTsv, Path devTsv) throws IOException {
        List<String> train = pairs(30, 1);
        for (int k = 0; k < EN.length; k++) {
            train.add((EN[k] + " ").repeat(7) + EN[k] + "\t" + (ES[k] + " ").repeat(7) + ES[k]);
        }
        Files.write(trainTsv, train, StandardCharsets.UTF_8);
        Files.write(devTsv, pairs(8, 1000), StandardCharsets.UTF_8);
    }

    @AfterClass(alwaysRun = true)
    public void deleteCorpus() throws IOException {
        Checkpoints.deleteTree(root);
    }

    private static List<String> pairs(int count, int seed) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder en = new StringBuilder();
            StringBuilder es = new StringBuilder();
            int words = 2 + (i + seed) % 4;
            for (int w = 0; w < words; w++) {
                int k = (7 * (i + seed) + 3 * w * w + w) % EN.length;
                en.append(w == 0 ? "" : " ").append(EN[k]);
                es.append(w == 0 ? "" : " ").append(ES[k]);
            }
            lines.add(en + "\t" + es);
        }
        return lines;
    }

    @Test
    public void readmeSnippetTrainsAndExportsALoadableModel() throws Exception {
        Path data = root; // README: Path data = Path.of("data"), holding train.tsv and dev.tsv
        // README:train-api begin
        TrainingResult result =
                Seq2SeqTraining.builder()
                        .setTrainFile(data.resolve("train.tsv")) // source<TAB>target per line
                        .optDevFile(data.resolve("dev.tsv"))
                        .setOutputDir(data.resolve("run"))
                        .optVocabSize(300)
                        .optConfig(c -> c.optModelDim(32).optEncoderLayers(1).optDecoderLayers(1))
                        .optSettings(
                                TrainingSettings.builder()
                                        .optMaxSteps(20)
                                        .optWarmupSteps(5)
                                        .optPeakLearningRate(3e-3f)
                                        .optLogEvery(5)
                                        .build())
                        .optDecoding(DecodingOptions.builder().optBeamSize(4).build())
                        .build()
                        .run();
        System.out.println(result.devBleu().orElseThrow() + "; model in " + result.modelDir());
        // README:train-api end
        Path runDir = data.resolve("run");

        assertEquals(result.finalStep(), 20);
        assertEquals(result.modelDir(), runDir.resolve("model"));
        ModelImporter.verify(result.modelDir()); // the checked load of an exported model
        assertEquals(result.config().modelDim(), 32);
        assertEquals(result.config().sourceVocabSize(), result.tokenizer().size());
        assertTrue(result.tokenizer().size() > 20 && result.tokenizer().size() <= 300);
        assertEquals(result.decoding().getBeamSize(), 4);
        // the best checkpoint by dev BLEU is one of the epoch ends, and its dev loss is known
        assertTrue(result.exportedStep() > 0 && result.exportedStep() <= 20);
        assertTrue(Files.isDirectory(runDir.resolve("checkpoints/best")), "best checkpoint marked");
        assertTrue(result.devLoss() > 0 && result.devLoss() < 10, "dev loss " + result.devLoss());
        assertEquals(result.devHypotheses().size(), 8);
        double bleu = result.devBleu().orElseThrow().getScore();
        assertTrue(bleu >= 0 && bleu <= 100, "dev BLEU " + bleu);
        Map<Integer, Double> losses = TrainingLoopTest.losses(runDir);
        assertEquals(losses.keySet(), Set.of(5, 10, 15, 20));
        assertTrue(
                losses.get(20) < losses.get(5) - 0.3,
                "training loss falls over 20 steps: " + losses);
        for (String file : List.of("tokenizer.json", "config.json", "metrics.jsonl")) {
            assertTrue(Files.isRegularFile(runDir.resolve(file)), file);
        }
    }

    /** README's "Train from Java" block is this test's snippet, line for line. */
    @Test
    public void readmeShowsTheSnippetThisTestRuns() throws IOException {
        String source =
                Files.readString(
                        Path.of(
                                "src/test/java/io/github/djlseq2seq/train/Seq2SeqTrainingTest.java"));
        String begin = "// README:train-api " + "begin\n";
        String end = "// README:train-api " + "end";
        List<String> tested =
                stripped(
                        source.substring(
                                source.indexOf(begin) + begin.length(), source.indexOf(end)));
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("## Train from Java");
        assertTrue(section >= 0, "README has a section 'Train from Java'");
        int open = readme.indexOf("```java\n", section) + "```java\n".length();
        List<String> shown = new ArrayList<>();
        for (String line : stripped(readme.substring(open, readme.indexOf("```", open)))) {
            if (!line.startsWith("import ") && !line.equals("Path data = Path.of(\"data\");")) {
                shown.add(line);
            }
        }
        assertEquals(shown, tested);
        assertTrue(
                shown.size() + 1 <= 20, "README's training code fits in 20 lines: " + shown.size());
    }

    private static List<String> stripped(String code) {
        List<String> lines = new ArrayList<>();
        for (String line : code.split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    private TrainingResult train(Path out, int steps, boolean resume, List<String> log)
            throws Exception {
        return Seq2SeqTraining.builder()
                .setTrainFile(trainTsv)
                .setOutputDir(out)
                .optVocabSize(300)
                .optBatchTokens(256) // several batches an epoch, in a seeded shuffled order
                .optConfig(
                        c ->
                                c.optModelDim(32)
                                        .optEncoderLayers(1)
                                        .optDecoderLayers(1)
                                        .optFeedForwardDim(64)
                                        .optDropout(0f))
                .optSettings(
                        TrainingSettings.builder()
                                .optMaxSteps(steps)
                                .optWarmupSteps(4)
                                .optPeakLearningRate(3e-3f)
                                .optLogEvery(1)
                                .optSeed(5)
                                .build())
                .optResume(resume)
                .optLog(log::add)
                .build()
                .run();
    }

    @Test
    public void resumedRunContinuesFromTheCheckpointStep() throws Exception {
        Path straight = root.resolve("straight");
        Path stopped = root.resolve("stopped");
        List<String> log = new ArrayList<>();
        TrainingResult full = train(straight, 14, false, log);
        train(stopped, 6, false, log);
        log.clear();
        TrainingResult resumed = train(stopped, 14, true, log);

        assertTrue(
                log.stream().anyMatch(l -> l.startsWith("Resumed from") && l.endsWith("step 6")),
                log.toString());
        assertFalse(log.stream().anyMatch(l -> l.startsWith("tokenizer:")), "tokenizer reused");
        assertEquals(resumed.finalStep(), 14);
        assertEquals(full.finalStep(), 14);
        assertEquals(resumed.tokenizer().size(), full.tokenizer().size());
        Map<Integer, Double> a = TrainingLoopTest.losses(straight);
        Map<Integer, Double> b = TrainingLoopTest.losses(stopped);
        assertEquals(b.keySet(), a.keySet(), "every step logged once");
        assertEquals(a.size(), 14);
        // the resumed run trains on the batches of the uninterrupted one (the loop sets the
        // sampler's epoch) with its moments: the same curve, up to libtorch's CPU noise
        // (TrainingLoopTest measures it; no dropout here), which stays below 0.02
        for (int step : a.keySet()) {
            assertEquals(b.get(step), a.get(step), 0.02, "loss at step " + step);
        }
        assertTrue(a.get(1) - a.get(14) > 0.1, "the curve is not flat: " + a);
        // a second run into the finished directory without resume is refused
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> train(stopped, 14, false, log));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }
}
