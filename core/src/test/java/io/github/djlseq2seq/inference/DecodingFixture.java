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

    /**
     * The model's next-token log-probabilities at every position of a teacher-forced pass over
     * START, tokens: row t is {@code log p(· | START, y_1 … y_t, x)}, PAD and START not banned.
     */
    double[][] teacherForced(NDArray sourceRow, int[] tokens) {
        try (NDManager scope = manager.newSubManager()) {
            int[] input = new int[tokens.length + 1];
            input[0] = SpecialTokens.START_ID;
            System.arraycopy(tokens, 0, input, 1, tokens.length);
            NDArray decoderInput = scope.create(input).reshape(1, -1);
            NDArray source = sourceRow.duplicate();
            source.attach(scope);
            NDArray logProbs =
                    block.decode(ps, block.encode(ps, source, false), source, decoderInput, false)
                            .logSoftmax(2) // [1, T, V]
                            .toType(DataType.FLOAT64, false);
            double[] flat = logProbs.toDoubleArray();
            int vocab = (int) logProbs.getShape().get(2);
            double[][] out = new double[input.length][];
            for (int t = 0; t < input.length; t++) {
                out[t] = java.util.Arrays.copyOfRange(flat, t * vocab, (t + 1) * vocab);
            }
            return out;
        }
    }

    /** The teacher-forced log-probability of tokens followed by END. */
    double modelScore(NDArray sourceRow, int[] tokens) {
        double[][] logProbs = teacherForced(sourceRow, tokens);
        double score = 0;
        for (int t = 0; t <= tokens.length; t++) {
            score += logProbs[t][t < tokens.length ? tokens[t] : SpecialTokens.END_ID];
        }
        return score;
    }

    @Override
    public void close() {
        model.close();
    }
}
