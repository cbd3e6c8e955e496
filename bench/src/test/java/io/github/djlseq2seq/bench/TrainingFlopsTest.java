package io.github.djlseq2seq.bench;

import static org.testng.Assert.assertEquals;

import io.github.djlseq2seq.model.TransformerConfig;
import org.testng.annotations.Test;

/** The FLOP count of the benchmark, checked matrix by matrix on a model small enough to add up. */
public class TrainingFlopsTest {

    /** D 4, F 8, 2 heads, 1 + 1 layers, target vocabulary 10. */
    private static final TransformerConfig TINY =
            TransformerConfig.builder()
                    .setSourceVocabSize(12)
                    .setTargetVocabSize(10)
                    .optModelDim(4)
                    .optNumHeads(2)
                    .optEncoderLayers(1)
                    .optDecoderLayers(1)
                    .optFeedForwardDim(8)
                    .build();

    @Test
    public void forwardCountsEveryMatrixProductByHand() {
        // B = 1, S = 2, T = 3; a product of an m×k and a k×n matrix is 2 m k n FLOPs.
        // encoder, per source token: Q, K, V, O 4 · 2·4·4 = 128; FFN 2·4·8 + 2·8·4 = 128;
        //   scores QKᵀ 2·4·2 = 16 and weights·V 2·2·4 = 16                      → 288 × 2 = 576
        // decoder, per target token: self Q, K, V, O 128; cross Q, O 64; FFN 128;
        //   self QKᵀ + AV 2 · 2·4·3 = 48; cross QKᵀ + AV 2 · 2·4·2 = 32          → 400 × 3 = 1200
        // decoder, cross K and V of each source token: 2 · 2·4·4 = 64           →  64 × 2 = 128
        // output projection, per target token: 2·4·10 = 80                    →  80 × 3 = 240
        assertEquals(TrainingFlops.forward(TINY, 1, 2, 3), 576 + 1200 + 128 + 240, 0);
    }

    @Test
    public void trainingIsThreeForwardsAndScalesWithTheBatch() {
        assertEquals(TrainingFlops.trainingStep(TINY, 1, 2, 3), 3 * 2144, 0);
        assertEquals(TrainingFlops.trainingStep(TINY, 5, 2, 3), 5 * 3 * 2144, 0);
    }

    @Test
    public void baseCpuStepIs47GigaFlops() {
        // 3 × (4.933 encoder + 5.838 decoder + 0.805 cross K/V + 4.194 projection) GFLOP
        assertEquals(
                TrainingFlops.trainingStep(BenchSettings.baseCpu(32), 32, 32, 32),
                47_311_749_120.0,
                0);
    }
}
