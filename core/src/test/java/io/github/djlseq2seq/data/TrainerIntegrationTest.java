package io.github.djlseq2seq.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.translate.TranslateException;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.io.IOException;
import org.testng.annotations.Test;

/** The dataset plugs into DJL's trainer as is, and its batches feed the model without leaks. */
public class TrainerIntegrationTest {

    @Test
    public void trainerIteratesBatchesThatTheModelAccepts() throws IOException, TranslateException {
        Engine.getInstance().setRandomSeed(3);
        WordTestTokenizer tokenizer = new WordTestTokenizer();
        BucketingSampler sampler =
                BucketingSampler.builder().setBatchSize(8).setMaxTokens(256).optSeed(5).build();
        try (ParallelTextDataset train =
                ParallelTextDataset.builder()
                        .setTokenizer(tokenizer)
                        .setSampling(sampler)
                        .optLimit(40)
                        .optTrainFile(BibleCorpus.trainFile())
                        .optMaxSourceLength(32)
                        .optMaxTargetLength(32)
                        .build()) {
            train.prepare();
            int vocab = tokenizer.size();
            TransformerConfig config =
                    TransformerConfig.builder()
                            .setSourceVocabSize(vocab)
                            .setTargetVocabSize(vocab)
                            .optModelDim(16)
                            .optNumHeads(2)
                            .optEncoderLayers(1)
                            .optDecoderLayers(1)
                            .optFeedForwardDim(32)
                            .optMaxLength(32)
                            .build();
            try (Model model = Model.newInstance("data-integration")) {
                model.setBlock(Seq2SeqTransformer.builder().setConfig(config).build());
                DefaultTrainingConfig trainingConfig =
                        new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss());
                try (Trainer trainer = model.newTrainer(trainingConfig)) {
                    trainer.initialize(new Shape(1, 4), new Shape(1, 4));
                    int live = -1;
                    for (int epoch = 0; epoch < 2; epoch++) {
                        int pairs = 0;
                        for (Batch batch : trainer.iterateDataset(train)) {
                            NDArray target = batch.getLabels().head(); // [B, T]
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                NDArray logits = trainer.forward(batch.getData()).head();
                                assertEquals(
                                        logits.getShape(),
                                        new Shape(
                                                target.getShape().get(0),
                                                target.getShape().get(1),
                                                vocab));
                                NDArray loss =
                                        trainer.getLoss()
                                                .evaluate(
                                                        new NDList(target.flatten()),
                                                        new NDList(logits.reshape(-1, vocab)));
                                assertTrue(Float.isFinite(loss.getFloat()));
                                collector.backward(loss);
                            }
                            trainer.step();
                            pairs += batch.getSize();
                            batch.close();
                        }
                        assertEquals(pairs, 40);
                        int now = model.getNDManager().getManagedArrays().size();
                        if (live >= 0) {
                            assertEquals(now, live, "arrays left behind by epoch " + epoch);
                        }
                        live = now;
                    }
                    assertEquals(sampler.getEpoch(), 2);
                }
            }
        }
    }
}
