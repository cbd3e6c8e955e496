package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.util.Arrays;
import java.util.List;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Per-call options through {@link TranslationRequest}: requests of different options, prefixes and
 * list sizes share one batch and come out as each would alone.
 */
public class RequestTranslatorTest {

    private static final List<String> TEXTS =
            List.of(
                    "In the beginning God created the heavens and the earth.",
                    "En el principio crió Dios los cielos y la tierra.",
                    "And God said, Let there be light: and there was light.",
                    "Y dijo Dios: Sea la luz: y fué la luz.");

    private static final DecodingOptions GREEDY = DecodingOptions.builder().optBeamSize(1).build();

    private BpeTokenizer tokenizer;
    private Model model;

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
        Engine.getInstance().setRandomSeed(13);
        model = Model.newInstance("requests");
        Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
    }

    @AfterClass
    public void tearDown() {
        model.close();
    }

    private List<TranslationRequest> requests() {
        return List.of(
                new TranslationRequest(
                        TEXTS.get(0), null, DecodingOptions.builder().optNBest(3).build()),
                new TranslationRequest(TEXTS.get(2)),
                new TranslationRequest(
                        TEXTS.get(3),
                        "Y dijo",
                        DecodingOptions.builder().optSample(true).optTopP(0.9f).optSeed(1).build()),
                new TranslationRequest("", "Y", null),
                new TranslationRequest(TEXTS.get(1), "En el principio", null));
    }

    @Test
    public void aMixedBatchTranslatesAsEachRequestAlone() throws TranslateException {
        List<TranslationRequest> requests = requests();
        try (Predictor<TranslationRequest, TranslationResult> p =
                model.newPredictor(new Seq2SeqRequestTranslator(tokenizer, tokenizer, GREEDY))) {
            List<TranslationResult> batch = p.batchPredict(requests);
            for (int i = 0; i < requests.size(); i++) {
                TranslationResult alone = p.predict(requests.get(i));
                List<TranslationResult.Candidate> a = alone.getCandidates();
                List<TranslationResult.Candidate> b = batch.get(i).getCandidates();
                assertEquals(b.size(), a.size(), "request " + i);
                for (int j = 0; j < a.size(); j++) {
                    assertEquals(b.get(j).tokens(), a.get(j).tokens(), i + "/" + j);
                    assertEquals(b.get(j).text(), a.get(j).text());
                    assertEquals(b.get(j).score(), a.get(j).score(), 1e-4);
                }
            }
            // the 3-best list, ranked by the normalized score, with the raw one alongside
            List<TranslationResult.Candidate> three = batch.get(0).getCandidates();
            assertEquals(three.size(), 3);
            for (int j = 0; j < 3; j++) {
                TranslationResult.Candidate c = three.get(j);
                double lp = DecodingOptions.builder().build().lengthPenalty(c.tokens().length + 1);
                assertEquals(c.normalizedScore(), c.score() / lp, 1e-4);
                assertTrue(j == 0 || three.get(j - 1).normalizedScore() >= c.normalizedScore());
            }
            // a request without options decodes with the translator's, as the String translator
            try (Predictor<String, String> text =
                    model.newPredictor(new Seq2SeqTranslator(tokenizer, tokenizer, GREEDY))) {
                assertEquals(batch.get(1).getText(), text.predict(TEXTS.get(2)));
            }
            // prefixes start the outputs, token for token; a blank line has no candidates
            for (int i : new int[] {2, 4}) {
                int[] prefix = tokenizer.encode(requests.get(i).getPrefix());
                int[] tokens = batch.get(i).getCandidates().get(0).tokens();
                assertEquals(Arrays.copyOf(tokens, prefix.length), prefix, "request " + i);
            }
            assertTrue(batch.get(3).getCandidates().isEmpty());
            assertEquals(batch.get(3).getText(), "");
        }
    }

    @Test
    public void aBadRequestIsNamedByItsPosition() {
        String longPrefix = String.join(" ", java.util.Collections.nCopies(80, "luz"));
        List<TranslationRequest> requests =
                List.of(new TranslationRequest("a"), new TranslationRequest("b", longPrefix, null));
        try (Predictor<TranslationRequest, TranslationResult> p =
                model.newPredictor(new Seq2SeqRequestTranslator(tokenizer, tokenizer, GREEDY))) {
            TranslateException e =
                    org.testng.Assert.expectThrows(
                            TranslateException.class, () -> p.batchPredict(requests));
            String message = String.valueOf(e.getCause());
            assertTrue(message.contains("The target prefix of input 2 has"), message);
        }
    }
}
