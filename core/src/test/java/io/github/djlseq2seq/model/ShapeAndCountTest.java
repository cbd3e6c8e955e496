package io.github.djlseq2seq.model;

import static org.testng.Assert.assertEquals;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.testng.annotations.Test;

/** Output shapes and parameter counts. */
public class ShapeAndCountTest {

    /** The paper's base model, with one shared 37,000-token vocabulary and tied embeddings. */
    static TransformerConfig paperBase() {
        return TransformerConfig.builder()
                .setSourceVocabSize(37000)
                .setTargetVocabSize(37000)
                .optModelDim(512)
                .optNumHeads(8)
                .optEncoderLayers(6)
                .optDecoderLayers(6)
                .optFeedForwardDim(2048)
                .optDropout(0.1f)
                .optNormPlacement(NormPlacement.POST)
                .optShareEmbeddings(true)
                .optTieOutputEmbedding(true)
                .build();
    }

    @Test
    public void logitsShapeIsBatchByTargetLengthByVocab() {
        try (TinyModel m = new TinyModel(NormPlacement.POST, DataType.FLOAT32, 1);
                NDManager manager = m.manager.newSubManager()) {
            Random random = new Random(3);
            NDArray source = TinyModel.paddedIds(manager, random, TinyModel.VOCAB, 9, 2, 5);
            NDArray target = TinyModel.paddedIds(manager, random, TinyModel.VOCAB, 4, 6, 1);
            NDArray logits = m.logits(source, target);
            assertEquals(logits.getShape(), new Shape(3, 6, TinyModel.VOCAB + 4));
            Shape[] declared =
                    m.block.getOutputShapes(new Shape[] {source.getShape(), target.getShape()});
            assertEquals(declared[0], logits.getShape());
            assertEquals(m.block.encode(m.ps, source, false).getShape(), new Shape(3, 9, 16));
        }
    }

    @Test
    public void paperBaseParameterCount() {
        TransformerConfig config = paperBase();
        assertEquals(config.parameterCount(), 63_082_496L);
        try (Model model = Model.newInstance("base")) {
            Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
            model.setBlock(block);
            block.initialize(
                    model.getNDManager(), DataType.FLOAT32, new Shape(1, 4), new Shape(1, 3));
            assertEquals(block.countParameters(), 63_082_496L);
        }
    }

    @Test
    public void formulaMatchesEveryVariant() {
        for (NormPlacement norm : NormPlacement.values()) {
            for (boolean tie : new boolean[] {false, true}) {
                for (boolean share : new boolean[] {false, true}) {
                    TransformerConfig config =
                            TransformerConfig.builder()
                                    .setSourceVocabSize(21)
                                    .setTargetVocabSize(share ? 21 : 17)
                                    .optModelDim(8)
                                    .optNumHeads(2)
                                    .optEncoderLayers(2)
                                    .optDecoderLayers(1)
                                    .optFeedForwardDim(12)
                                    .optNormPlacement(norm)
                                    .optTieOutputEmbedding(tie)
                                    .optShareEmbeddings(share)
                                    .build();
                    try (TinyModel m = new TinyModel(config, DataType.FLOAT32, 1)) {
                        assertEquals(
                                m.block.countParameters(),
                                config.parameterCount(),
                                norm + " tie=" + tie + " share=" + share);
                    }
                }
            }
        }
    }
}
