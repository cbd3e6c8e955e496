package io.github.djlseq2seq.bench;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.util.List;
import org.testng.annotations.Test;

/** The benchmark runs on a tiny model and returns one positive figure per output length. */
public class DecodingBenchmarkTest {

    @Test
    public void tinyBenchmarkReturnsItsFigures() {
        List<DecodingBenchmark.Figure> figures =
                DecodingBenchmark.builder()
                        .optConfig(tiny())
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

    /** Both modes of the benchmark's loop emit the same L tokens per sentence. */
    @Test
    public void cachedAndRecomputedLoopsEmitTheSameTokens() {
        Engine.getInstance().setRandomSeed(7);
        try (Model model = Model.newInstance("bench-test")) {
            Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(tiny()).build();
            model.setBlock(block);
            NDManager manager = model.getNDManager();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray source = manager.create(new int[][] {{2, 7, 9, 11, 3}, {2, 40, 5, 6, 3}});
            int[][] cached = DecodingBenchmark.greedy(block, ps, source, 12, true);
            int[][] recomputed = DecodingBenchmark.greedy(block, ps, source, 12, false);
            assertEquals(cached.length, 2);
            assertEquals(cached[0].length, 12);
            assertEquals(cached, recomputed);
        }
    }

    private static TransformerConfig tiny() {
        return TransformerConfig.builder()
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
    }
}
