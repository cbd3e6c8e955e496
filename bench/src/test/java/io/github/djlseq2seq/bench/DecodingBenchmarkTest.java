package io.github.djlseq2seq.bench;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.github.djlseq2seq.model.TransformerConfig;
import java.util.List;
import org.testng.annotations.Test;

/** The benchmark runs on a tiny model and returns one positive figure per output length. */
public class DecodingBenchmarkTest {

    @Test
    public void tinyBenchmarkReturnsItsFigures() {
        TransformerConfig config =
                TransformerConfig.builder()
                        .setSourceVocabSize(50)
                        .setTargetVocabSize(60)
                        .optModelDim(16)
                        .optNumHeads(2)
                        .optEncoderLayers(1)
                        .optDecoderLayers(2)
                        .optFeedForwardDim(32)
                        .optDropout(0f)
                        .optMaxLength(16)
                        .build();
        List<DecodingBenchmark.Figure> figures =
                DecodingBenchmark.builder()
                        .optConfig(config)
                        .optBatchSize(3)
                        .optSourceLength(6)
                        .optOutputLengths(4, 16)
                        .optRepeats(1)
                        .build()
                        .run();
        assertEquals(figures.size(), 2);
        assertEquals(figures.get(1).getOutputLength(), 16);
        for (DecodingBenchmark.Figure f : figures) {
            assertTrue(f.getCachedTokensPerSecond() > 0 && f.getRecomputedTokensPerSecond() > 0);
            assertTrue(f.getSpeedUp() > 0, f.toString());
        }
    }
}
