package io.github.djlseq2seq.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.precision.Precision;

/** A small initialised model with dropout off, and the helpers tests use to run it. */
final class TinyModel implements AutoCloseable {

    static final int VOCAB = 13;
    static final int PAD = 0;

    final Model model;
    final Seq2SeqTransformer block;
    final NDManager manager;
    final ParameterStore ps;

    TinyModel(NormPlacement norm, DataType dataType, long seed) {
        this(
                TransformerConfig.builder()
                        .setSourceVocabSize(VOCAB)
                        .setTargetVocabSize(VOCAB + 4)
                        .optModelDim(16)
                        .optNumHeads(4)
                        .optEncoderLayers(2)
                        .optDecoderLayers(2)
                        .optFeedForwardDim(32)
                        .optDropout(0f)
                        .optMaxLength(32)
                        .optNormPlacement(norm)
                        .build(),
                dataType,
                seed);
    }

    TinyModel(TransformerConfig config, DataType dataType, long seed) {
        this(config, dataType, seed, Precision.FP32);
    }

    /** The model in a precision; the same seed gives the same parameters in every precision. */
    TinyModel(TransformerConfig config, DataType dataType, long seed, Precision precision) {
        Engine.getInstance().setRandomSeed((int) seed);
        model = Model.newInstance("tiny");
        block = Seq2SeqTransformer.builder().setConfig(config).optPrecision(precision).build();
        model.setBlock(block);
        manager = model.getNDManager();
        block.initialize(manager, dataType, new Shape(1, 5), new Shape(1, 4));
        ps = new ParameterStore(manager, false);
    }

    /** Logits {@code [B, T, V]} of one parallel pass, no dropout. */
    NDArray logits(NDArray source, NDArray decoderInput) {
        return block.forward(ps, new NDList(source, decoderInput), false).head();
    }

    /** A random id batch {@code [rows, lengths.max]} with no PAD before each row's length. */
    static NDArray paddedIds(
            NDManager manager, java.util.Random random, int vocab, int... lengths) {
        int max = java.util.Arrays.stream(lengths).max().orElse(0);
        int[][] ids = new int[lengths.length][max];
        for (int r = 0; r < lengths.length; r++) {
            for (int c = 0; c < lengths[r]; c++) {
                ids[r][c] = 1 + random.nextInt(vocab - 1);
            }
        }
        return manager.create(ids);
    }

    /** Max |a - b| over all elements. */
    static double maxAbsDiff(NDArray a, NDArray b) {
        return a.sub(b).abs().max().toType(DataType.FLOAT64, false).getDouble();
    }

    @Override
    public void close() {
        model.close();
    }
}
