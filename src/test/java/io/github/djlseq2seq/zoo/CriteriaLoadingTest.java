package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.train.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;

/** An exported model loads through stock DJL Criteria and translates as before export. */
public class CriteriaLoadingTest {

    static final List<String> TEXTS =
            List.of(
                    "In the beginning God created the heavens and the earth.",
                    "En el principio crió Dios los cielos y la tierra.",
                    "And God said, Let there be light: and there was light.",
                    "Y dijo Dios: Sea la luz: y fué la luz.");

    @Test
    public void exportedModelLoadsWithCriteriaAndTranslatesTheSame() throws Exception {
        BpeTokenizer tokenizer =
                BpeTokenizer.train(TEXTS, BpeTrainingConfig.builder().optVocabSize(300).build());
        TransformerConfig config =
                TransformerConfig.builder()
                        .setSourceVocabSize(tokenizer.size())
                        .setTargetVocabSize(tokenizer.size())
                        .optModelDim(16)
                        .optNumHeads(2)
                        .optEncoderLayers(1)
                        .optDecoderLayers(1)
                        .optFeedForwardDim(32)
                        .optDropout(0f)
                        .optMaxLength(64)
                        .optShareEmbeddings(true)
                        .optTieOutputEmbedding(true)
                        .build();
        DecodingOptions options = DecodingOptions.builder().optBeamSize(1).build();
        Path dir = Files.createTempDirectory("export").resolve("model");
        List<String> before;
        try (Model model = Model.newInstance("seq2seq", Device.cpu())) {
            Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
            model.setBlock(block);
            block.initialize(
                    model.getNDManager(), DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
            try (Predictor<String, String> p =
                    model.newPredictor(new Seq2SeqTranslator(tokenizer, tokenizer, options))) {
                before = p.batchPredict(List.of(TEXTS.get(0), "", TEXTS.get(2)));
            }
            ModelExporter.export(model, tokenizer, tokenizer, options, dir, false);
        }
        assertEquals(before.get(1), "");
        assertTrue(!before.get(0).isEmpty(), "an untrained model still emits tokens");
        Criteria<String, String> criteria =
                Criteria.builder()
                        .setTypes(String.class, String.class)
                        .optModelPath(dir)
                        .optEngine("PyTorch")
                        // DJL's own factory that reads translatorFactory from serving.properties
                        .optTranslatorFactory(new DeferredTranslatorFactory())
                        .build();
        try (ZooModel<String, String> loaded = criteria.loadModel();
                Predictor<String, String> p = loaded.newPredictor()) {
            assertEquals(p.predict(TEXTS.get(0)), before.get(0));
            assertEquals(p.batchPredict(List.of(TEXTS.get(0), "", TEXTS.get(2))), before);
        } finally {
            Checkpoints.deleteTree(dir.getParent());
        }
    }
}
