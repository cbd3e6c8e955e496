package io.github.djlseq2seq.train;

import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Dataset;
import io.github.djlseq2seq.data.BibleCorpus;
import io.github.djlseq2seq.data.BucketingSampler;
import io.github.djlseq2seq.data.ParallelTextDataset;
import io.github.djlseq2seq.data.ParallelTsvReader;
import io.github.djlseq2seq.data.TextPair;
import io.github.djlseq2seq.data.WordLevelTokenizer;
import io.github.djlseq2seq.data.WordLevelTrainingConfig;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/** The training loss falls on real parallel text (the bundled Bible dev split). */
public class RealDataTrainingTest {

    @Test
    public void lossFallsOnTheBibleCorpus() throws Exception {
        List<String> texts = new ArrayList<>();
        for (TextPair p : ParallelTsvReader.read(BibleCorpus.devFile())) {
            texts.add(p.source());
            texts.add(p.target());
        }
        WordLevelTokenizer tokenizer =
                WordLevelTokenizer.train(
                        texts, WordLevelTrainingConfig.builder().optMaxSize(2000).build());
        BucketingSampler sampler =
                BucketingSampler.builder().setBatchSize(32).setMaxTokens(1500).optSeed(3).build();
        Path dir = Files.createTempDirectory("real-data");
        try (ParallelTextDataset data =
                        ParallelTextDataset.builder()
                                .setTokenizer(tokenizer)
                                .optUsage(Dataset.Usage.VALIDATION)
                                .optValidationFile(BibleCorpus.devFile())
                                .optMaxSourceLength(64)
                                .optMaxTargetLength(64)
                                .setSampling(sampler)
                                .build();
                Model model = Model.newInstance("real", Device.cpu())) {
            data.prepare();
            TransformerConfig config =
                    TransformerConfig.builder()
                            .setSourceVocabSize(tokenizer.size())
                            .setTargetVocabSize(tokenizer.size())
                            .optModelDim(32)
                            .optNumHeads(4)
                            .optEncoderLayers(1)
                            .optDecoderLayers(1)
                            .optFeedForwardDim(64)
                            .optMaxLength(64)
                            .optShareEmbeddings(true)
                            .optTieOutputEmbedding(true)
                            .build();
            model.setBlock(Seq2SeqTransformer.builder().setConfig(config).build());
            TrainingLoop.builder()
                    .setModel(model)
                    .setTrainData(data)
                    .setOutputDir(dir)
                    .setInputShapes(new Shape(1, 8), new Shape(1, 8))
                    .optDevices(Device.cpu())
                    .optSettings(
                            TrainingSettings.builder()
                                    .optMaxSteps(60)
                                    .optWarmupSteps(20)
                                    .optPeakLearningRate(3e-3f)
                                    .optLogEvery(10)
                                    .build())
                    .optLog(line -> {})
                    .build()
                    .run(false);
            List<Double> losses = new ArrayList<>();
            for (Map<String, Double> e : MetricsLog.read(dir.resolve("metrics.jsonl"))) {
                if (e.containsKey("loss")) {
                    losses.add(e.get("loss"));
                }
            }
            double first = losses.get(0);
            double last = losses.get(losses.size() - 1);
            assertTrue(last < first - 1.0, "loss went from " + first + " to " + last);
        } finally {
            Checkpoints.deleteTree(dir);
        }
    }
}
