package io.github.djlseq2seq.examples;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;

/** Builds a small Transformer and runs one teacher-forced forward pass, as in README. */
public final class QuickStart {

    private QuickStart() {}

    /**
     * Runs the quick start.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        TransformerConfig config =
                TransformerConfig.builder()
                        .setSourceVocabSize(1000)
                        .setTargetVocabSize(1000)
                        .optModelDim(64)
                        .optNumHeads(4)
                        .optEncoderLayers(2)
                        .optDecoderLayers(2)
                        .optFeedForwardDim(256)
                        .build();
        Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
        try (Model model = Model.newInstance("quick-start")) {
            model.setBlock(block);
            NDManager manager = model.getNDManager();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 8), new Shape(1, 8));
            // PAD = 0; START = 2 and END = 3 in the library's vocabularies
            NDArray source = manager.create(new int[][] {{2, 17, 42, 99, 3}, {2, 5, 3, 0, 0}});
            NDArray decoderInput = manager.create(new int[][] {{2, 7, 8, 9}, {2, 11, 0, 0}});
            NDArray logits =
                    block.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(source, decoderInput),
                                    false)
                            .head();
            System.out.println("parameters: " + block.countParameters());
            System.out.println("logits " + logits.getShape()); // (2, 4, 1000)
        }
    }
}
