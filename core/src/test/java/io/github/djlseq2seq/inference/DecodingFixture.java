package io.github.djlseq2seq.inference;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.NormPlacement;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.util.Random;

/** A tiny random model (dropout off) and source batches {@code [START, x…, END, PAD…]}. */
final class DecodingFixture implements AutoCloseable {

    static final int SOURCE_VOCAB = 13;
    static final int TARGET_VOCAB = 17;
    static final int MAX_LENGTH = 32;

    final Model model;
    final Seq2SeqTransformer block;
    final NDManager manager;
    final ParameterStore ps;

    DecodingFixture(NormPlacement norm, long seed) {
        this(
                TransformerConfig.builder()
                        .setSourceVocabSize(SOURCE_VOCAB)
                        .setTargetVocabSize(TARGET_VOCAB)
                        .optModelDim(16)
                        .optNumHeads(4)
                        .optEncoderLayers(2)
                        .optDecoderLayers(2)
                        .optFeedForwardDim(32)
                        .optDropout(0f)
                        .optMaxLength(MAX_LENGTH)
                        .optNormPlacement(norm)
                        .build(),
                seed);
    }

    DecodingFixture(TransformerConfig config, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        model = Model.newInstance("decoding");
        block = Seq2SeqTransformer.builder().setConfig(config).build();
        model.setBlock(block);
        manager = model.getNDManager();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 5), new Shape(1, 4));
        ps = new ParameterStore(manager, false);
    }

    /** Sources {@code [B, max+2]}: row r is START, lengths[r] random ids, END, then PAD. */
    static NDArray sources(NDManager manager, Random random, int... lengths) {
        int width = java.util.Arrays.stream(lengths).max().orElse(0) + 2;
        int[][] ids = new int[lengths.length][width];
        for (int r = 0; r < lengths.length; r++) {
            ids[r][0] = SpecialTokens.START_ID;
            for (int c = 1; c <= lengths[r]; c++) {
                ids[r][c] = 4 + random.nextInt(SOURCE_VOCAB - 4);
            }
            ids[r][lengths[r] + 1] = SpecialTokens.END_ID;
        }
        return manager.create(ids);
    }

    @Override
    public void close() {
        model.close();
    }
}
