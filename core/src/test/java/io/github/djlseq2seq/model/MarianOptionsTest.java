package io.github.djlseq2seq.model;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.testng.annotations.Test;

/**
 * The configuration options Marian checkpoints need: they round-trip through JSON, are absent from
 * the JSON of a configuration that does not use them, count their parameters, and the split
 * position layout is the interleaved one with its columns regrouped.
 */
public class MarianOptionsTest {

    private static TransformerConfig marianLike() {
        return TransformerConfig.builder()
                .setSourceVocabSize(20)
                .setTargetVocabSize(20)
                .optModelDim(16)
                .optNumHeads(2)
                .optEncoderLayers(1)
                .optDecoderLayers(1)
                .optFeedForwardDim(32)
                .optShareEmbeddings(true)
                .optTieOutputEmbedding(true)
                .optOutputBias(true)
                .optPositionEncoding(PositionEncoding.SPLIT)
                .optScaleEmbedding(false)
                .optActivation(FeedForwardActivation.SWISH)
                .optSourceStart(false)
                .build();
    }

    @Test
    public void roundTripsThroughJson() {
        TransformerConfig config = marianLike();
        String json = config.toJson();
        assertTrue(json.contains("\"positionEncoding\": \"SPLIT\""), json);
        assertTrue(json.contains("\"activation\": \"SWISH\""), json);
        assertEquals(TransformerConfig.fromJson(json), config);
        assertEquals(TransformerConfig.fromJson(json).toBuilder().build(), config);
    }

    @Test
    public void defaultsLeaveTheJsonAsBefore() {
        TransformerConfig plain =
                TransformerConfig.builder().setSourceVocabSize(20).setTargetVocabSize(20).build();
        String json = plain.toJson();
        for (String key :
                new String[] {
                    "positionEncoding", "scaleEmbedding", "activation", "outputBias", "sourceStart"
                }) {
            assertFalse(json.contains(key), json);
        }
        assertTrue(plain.scaleEmbedding());
        assertTrue(plain.outputBias()); // untied: a bias, as before
        assertFalse(plain.toBuilder().optTieOutputEmbedding(true).build().outputBias());
    }

    @Test
    public void countsATiedProjectionsBias() {
        TransformerConfig config = marianLike();
        try (NDManager manager = NDManager.newBaseManager()) {
            Seq2SeqTransformer model = Seq2SeqTransformer.builder().setConfig(config).build();
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3), new Shape(1, 3));
            assertEquals(model.countParameters(), config.parameterCount());
            long withoutBias = config.toBuilder().optOutputBias(false).build().parameterCount();
            assertEquals(config.parameterCount() - withoutBias, 20);
        }
    }

    @Test
    public void splitLayoutRegroupsTheInterleavedColumns() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray interleaved =
                    TokenEmbedding.sinusoid(manager, 3, 5, 8, DataType.FLOAT32); // [5, 8]
            NDArray split =
                    TokenEmbedding.sinusoid(
                            manager, 3, 5, 8, PositionEncoding.SPLIT, DataType.FLOAT32);
            float[] a = interleaved.toFloatArray();
            float[] b = split.toFloatArray();
            for (int p = 0; p < 5; p++) {
                for (int i = 0; i < 4; i++) {
                    assertEquals(b[p * 8 + i], a[p * 8 + 2 * i], 0f); // sin(p ω_i)
                    assertEquals(b[p * 8 + 4 + i], a[p * 8 + 2 * i + 1], 0f); // cos(p ω_i)
                }
            }
            assertEquals(b[8 + 4], (float) Math.cos(4.0), 1e-6f); // position 4, ω_0 = 1
        }
    }
}
