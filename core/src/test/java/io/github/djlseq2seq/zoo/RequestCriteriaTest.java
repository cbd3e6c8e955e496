package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.inference.Seq2SeqRequestTranslator;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import io.github.djlseq2seq.inference.TranslationRequest;
import io.github.djlseq2seq.inference.TranslationResult;
import java.nio.file.Path;
import org.testng.annotations.Test;

/** An exported model loads as TranslationRequest → TranslationResult through stock Criteria. */
public class RequestCriteriaTest {

    @Test
    public void requestsAndResultsLoadThroughCriteria() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            Path dir = f.export("model");
            // the exported beam (1) is a default: an n-best size above it raises it
            Criteria<TranslationRequest, TranslationResult> criteria =
                    Criteria.builder()
                            .setTypes(TranslationRequest.class, TranslationResult.class)
                            .optModelPath(dir)
                            .optEngine("PyTorch")
                            .optArgument("nBest", 3)
                            .build();
            try (ZooModel<TranslationRequest, TranslationResult> model = criteria.loadModel();
                    Predictor<TranslationRequest, TranslationResult> p = model.newPredictor()) {
                Seq2SeqRequestTranslator translator =
                        (Seq2SeqRequestTranslator) model.getTranslator();
                assertEquals(translator.getOptions().getBeamSize(), 3);
                TranslationResult result =
                        p.predict(new TranslationRequest(ExportFixture.TEXTS.get(0)));
                assertEquals(result.getCandidates().size(), 3);
                assertTrue(result.getCandidates().get(0).score() < 0);
            }
        }
    }

    @Test
    public void exportedSamplingOptionsComeBack() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            DecodingOptions sampling =
                    DecodingOptions.builder()
                            .optSample(true)
                            .optTemperature(0.7f)
                            .optTopK(20)
                            .optTopP(0.9f)
                            .optSeed(5)
                            .optNBest(2)
                            .build();
            Path dir =
                    ModelExporter.builder()
                            .setModel(f.model)
                            .setTokenizer(f.tokenizer)
                            .optDecodingOptions(sampling)
                            .optArtifactId("tiny")
                            .build()
                            .export(f.root.resolve("sampling"));
            try (ZooModel<String, String> model = CriteriaLoadingTest.plain(dir).loadModel()) {
                DecodingOptions loaded = ((Seq2SeqTranslator) model.getTranslator()).getOptions();
                assertEquals(loaded, sampling);
                assertEquals(loaded.getNBest(), 2);
                assertEquals(loaded.getTopK(), 20);
            }
        }
    }
}
