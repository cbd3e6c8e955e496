package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.train.Checkpoints;
import io.github.djlseq2seq.train.MetricsLog;
import io.github.djlseq2seq.train.TrainingLoop;
import io.github.djlseq2seq.train.TrainingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/** A loaded Marian checkpoint fine-tunes with the library's training loop: the loss falls. */
public class MarianFineTuneTest {

    private static final List<String[]> PAIRS =
            List.of(
                    new String[] {"the cat sat on the mat", "el gato se sentó en la alfombra"},
                    new String[] {"a dog ran in the park", "un perro corrió en el parque"},
                    new String[] {"hello world", "hola mundo"},
                    new String[] {"the word", "el verbo"});

    @Test
    public void lossFallsOnAFewBatches() throws Exception {
        MarianFixture fixture = MarianFixture.open("tiny");
        Path dir = Files.createTempDirectory("marian-finetune");
        try (Model model = Model.newInstance("marian", Device.cpu(), "PyTorch");
                NDManager manager = NDManager.newBaseManager()) {
            Seq2SeqTransformer block =
                    MarianCheckpoint.loadBlock(fixture.dir, model.getNDManager());
            model.setBlock(block);
            List<Seq2SeqTokenizer> tokenizers = MarianCheckpoint.tokenizers(fixture.dir);
            ArrayDataset data = marianPairs(manager, tokenizers);
            TrainingSettings settings =
                    TrainingSettings.builder()
                            .optMaxSteps(60)
                            .optWarmupSteps(5)
                            .optPeakLearningRate(5e-3f)
                            .optLabelSmoothing(0f)
                            .optLogEvery(10)
                            .build();
            TrainingLoop.builder()
                    .setModel(model)
                    .setTrainData(data)
                    .setOutputDir(dir)
                    .setInputShapes(new Shape(1, 8), new Shape(1, 7))
                    .optDevices(Device.cpu())
                    .optSettings(settings)
                    .optLog(line -> {})
                    .build()
                    .run(false);
            double first = Double.NaN;
            double last = Double.NaN;
            for (Map<String, Double> e : MetricsLog.read(dir.resolve("metrics.jsonl"))) {
                if (e.containsKey("loss")) {
                    first = Double.isNaN(first) ? e.get("loss") : first;
                    last = e.get("loss");
                }
            }
            assertTrue(last < 0.8 * first, "loss " + first + " → " + last + " in 60 steps");
        } finally {
            Checkpoints.deleteTree(dir);
        }
    }

    /** Marian's format: sources [x…, END], decoder input [START, y…], labels [y…, END]. */
    private static ArrayDataset marianPairs(NDManager manager, List<Seq2SeqTokenizer> tokenizers) {
        int n = PAIRS.size();
        int[][] x = new int[n][];
        int[][] y = new int[n][];
        int width = 0;
        int length = 0;
        for (int i = 0; i < n; i++) {
            x[i] = tokenizers.get(0).encode(PAIRS.get(i)[0]);
            y[i] = tokenizers.get(1).encode(PAIRS.get(i)[1]);
            width = Math.max(width, x[i].length + 1);
            length = Math.max(length, y[i].length + 1);
        }
        int[][] source = new int[n][width]; // PAD-padded
        int[][] decoderInput = new int[n][length];
        int[][] labels = new int[n][length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x[i], 0, source[i], 0, x[i].length);
            source[i][x[i].length] = SpecialTokens.END_ID;
            decoderInput[i][0] = SpecialTokens.START_ID;
            System.arraycopy(y[i], 0, decoderInput[i], 1, y[i].length);
            System.arraycopy(y[i], 0, labels[i], 0, y[i].length);
            labels[i][y[i].length] = SpecialTokens.END_ID;
        }
        return new ArrayDataset.Builder()
                .setData(manager.create(source), manager.create(decoderInput))
                .optLabels(manager.create(labels))
                .setSampling(2, false)
                .build();
    }
}
