package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.translate.TranslateException;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.util.ArrayList;
import java.util.List;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The translator runs DJL's pipeline: the decode happens in the model block's forward (timed as
 * inference, with the predictor's parameters), and a batch decodes as its sentences do one by one.
 */
public class TranslatorPipelineTest {

    private static final List<String> TEXTS =
            List.of(
                    "In the beginning God created the heavens and the earth.",
                    "En el principio crió Dios los cielos y la tierra.",
                    "And God said, Let there be light: and there was light.",
                    "Y dijo Dios: Sea la luz: y fué la luz.");

    private static final List<String> INPUTS =
            List.of(TEXTS.get(0), "", "light", TEXTS.get(3), "God said light");

    private BpeTokenizer tokenizer;
    private Model model;
    private Seq2SeqTransformer block;

    @BeforeClass
    public void setUp() {
        tokenizer =
                BpeTokenizer.train(TEXTS, BpeTrainingConfig.builder().optVocabSize(300).build());
        TransformerConfig config =
                TransformerConfig.builder()
                        .setSourceVocabSize(tokenizer.size())
                        .setTargetVocabSize(tokenizer.size())
                        .optModelDim(16)
                        .optNumHeads(2)
                        .optEncoderLayers(1)
                        .optDecoderLayers(2)
                        .optFeedForwardDim(32)
                        .optDropout(0f)
                        .optMaxLength(64)
                        .optShareEmbeddings(true)
                        .build();
        Engine.getInstance().setRandomSeed(11);
        model = Model.newInstance("pipeline");
        block = Seq2SeqTransformer.builder().setConfig(config).build();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
    }

    @AfterClass
    public void tearDown() {
        model.close();
    }

    @DataProvider
    public Object[][] beams() {
        return new Object[][] {{1}, {3}};
    }

    @Test
    public void decodingIsTimedAsInferenceNotPreprocessing() throws TranslateException {
        DecodingOptions greedy = DecodingOptions.builder().optBeamSize(1).build();
        Metrics metrics = new Metrics();
        try (Predictor<String, String> p =
                model.newPredictor(new Seq2SeqTranslator(tokenizer, tokenizer, greedy))) {
            p.setMetrics(metrics);
            p.batchPredict(INPUTS);
        }
        double inference = metrics.latestMetric("Inference").getValue().doubleValue();
        double preprocess = metrics.latestMetric("Preprocess").getValue().doubleValue();
        // the old translator decoded in input processing: Preprocess held the work, Inference ~0
        assertTrue(inference > 0 && inference > preprocess, inference + " vs " + preprocess);
    }

    @Test(dataProvider = "beams")
    public void batchPredictEqualsPredictOneByOne(int beam) throws TranslateException {
        DecodingOptions options = DecodingOptions.builder().optBeamSize(beam).build();
        try (Predictor<String, String> p =
                model.newPredictor(new Seq2SeqTranslator(tokenizer, tokenizer, options))) {
            List<String> batch = p.batchPredict(INPUTS);
            List<String> single = new ArrayList<>();
            for (String input : INPUTS) {
                single.add(p.predict(input));
            }
            assertEquals(batch, single);
            assertEquals(batch.get(1), "");
            assertTrue(!batch.get(0).isEmpty(), "an untrained model still writes something");
        }
    }

    @Test(dataProvider = "beams")
    public void theGeneratorBlockDecodesAsTheDecoders(int beam) {
        DecodingOptions options = DecodingOptions.builder().optBeamSize(beam).build();
        Seq2SeqGenerator generator =
                Seq2SeqGenerator.builder().setModel(block).optOptions(options).build();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray source = manager.create(new int[][] {{2, 40, 41, 42, 3}, {2, 50, 3, 0, 0}});
            List<Hypothesis> expected = SequenceDecoder.of(block, options).decode(ps, source);
            // routed through the transformer's forward, as DJL's Predictor calls it
            NDList out = block.forward(ps, generator.route(new NDList(source)), false);
            long[] ids = out.get(0).toType(DataType.INT64, false).toLongArray();
            float[] scores = out.get(1).toFloatArray();
            int width = (int) out.get(0).getShape().get(1);
            for (int r = 0; r < 2; r++) {
                int[] tokens = expected.get(r).getTokens();
                for (int c = 0; c < width; c++) {
                    long want = c < tokens.length ? tokens[c] : SpecialTokens.PAD_ID;
                    assertEquals(ids[r * width + c], want, "row " + r + " column " + c);
                }
                assertEquals(scores[r], expected.get(r).getScore(), 1e-5);
            }
            // the bare contract still holds: (source, decoder input) -> logits [B, T, V]
            NDArray decoderInput = manager.create(new int[][] {{2, 7, 8}, {2, 9, 0}});
            NDList logits = block.forward(ps, new NDList(source, decoderInput), false);
            assertEquals(logits.head().getShape(), new Shape(2, 3, tokenizer.size()));
        }
    }

    @Test
    public void aModelWithoutATransformerIsRefused() {
        try (Model other = Model.newInstance("linear")) {
            other.setBlock(Linear.builder().setUnits(2).build());
            DecodingOptions options = DecodingOptions.builder().build();
            try (Predictor<String, String> p =
                    other.newPredictor(new Seq2SeqTranslator(tokenizer, tokenizer, options))) {
                TranslateException e = expectThrows(TranslateException.class, () -> p.predict("a"));
                String message = String.valueOf(e.getCause());
                assertTrue(message.contains("block is a Seq2SeqTransformer"), message);
            }
        }
    }
}
