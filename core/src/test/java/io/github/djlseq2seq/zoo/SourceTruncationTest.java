package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import java.util.List;
import org.testng.annotations.Test;

/** A source longer than the model accepts is refused, or cut to fit when asked. */
public class SourceTruncationTest {

    @Test
    public void overLongSourcesAreRefusedOrTruncated() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            String word = ExportFixture.TEXTS.get(0).split(" ")[0] + " ";
            String longer = word.repeat(200); // far over the fixture's 64 tokens
            String longest = word.repeat(300);
            int ids = f.tokenizer.encode(longer).length;
            assertTrue(ids + 2 > 64, ids + " tokens");
            try (Predictor<String, String> strict =
                    f.model.newPredictor(
                            new Seq2SeqTranslator(f.tokenizer, f.tokenizer, f.options))) {
                TranslateException e =
                        expectThrows(TranslateException.class, () -> strict.predict(longer));
                String message = String.valueOf(e.getCause());
                assertTrue(message.contains("Input 1 has " + (ids + 2) + " tokens"), message);
                assertTrue(message.contains("optTruncateSource"), message);
            }
            DecodingOptions truncate =
                    DecodingOptions.builder().optBeamSize(1).optTruncateSource(true).build();
            try (Predictor<String, String> lenient =
                    f.model.newPredictor(
                            new Seq2SeqTranslator(f.tokenizer, f.tokenizer, truncate))) {
                // both keep the same first 62 tokens, so they translate alike
                List<String> out = lenient.batchPredict(List.of(longer, longest, ""));
                assertEquals(out.get(0), out.get(1));
                assertEquals(out.get(2), "");
            }
        }
    }
}
