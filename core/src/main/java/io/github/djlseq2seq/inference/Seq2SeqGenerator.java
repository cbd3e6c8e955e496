package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.djlseq2seq.data.PaddingBatchifier;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.RoutedInput;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decoding as a DJL block: its forward turns source ids into output ids, greedily, by beam search
 * or by sampling as its {@link DecodingOptions} say, with the key/value cache unless told
 * otherwise.
 *
 * <pre>
 *   inputs:  sourceIds [B, S]    = [START, x1 … xn, END, PAD …]
 *            prefixIds [B, P]    optional: each row's forced target prefix (no START), PAD-padded
 *   outputs: ids [B, L]          int32, each row's best output tokens (no START, no END), PAD-padded
 *            scores [B]          float32, its log-probability, END included
 *            nBestIds [B, K, L'] int32, each row's n-best list, best first, PAD-padded
 *            nBestScores [B, K]  float32, their log-probabilities (-∞ where a row has fewer than K)
 *            nBestNormalized [B, K] float32, the scores divided by the length penalty (the ranking)
 * </pre>
 *
 * <p>K is the largest {@link DecodingOptions#getNBest} of the rows. Each row decodes with the
 * generator's options, or with its own ({@link Builder#optRowOptions}): rows that share options
 * decode together as one batch.
 *
 * <p>Design. The generator has no parameters of its own: it runs a {@link Seq2SeqTransformer} (its
 * encoder once, then its decoder step by step through {@link SequenceDecoder}) with the parameter
 * store its forward is given. It is not the model's block: the model's block stays the transformer,
 * so that parameter files, checkpoints, training and the bare {@code Criteria} contract ({@code
 * (source ids, decoder input ids) → logits [B, T, V]} for {@code NDList → NDList}) are untouched,
 * and any model holding a transformer can translate. DJL's {@code Predictor} calls only the model's
 * block, so {@link Seq2SeqTranslator} hands it the batch wrapped by {@link #route}: the
 * transformer's forward passes a {@link RoutedInput} on to this block. A prediction then runs DJL's
 * pipeline as intended: input processing (tokenize, one row per sentence), the batchifier (PAD to
 * {@code [B, S]}), the block's forward (the whole decode, timed as inference, with the predictor's
 * parameter store), output processing (detokenize each row).
 *
 * <p>Used directly, {@code generator.forward(ps, new NDList(sourceIds), false)} decodes the same
 * way. Decoding never trains: a forward with {@code training} true is refused.
 */
public final class Seq2SeqGenerator extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Seq2SeqTransformer model;
    private final DecodingOptions options;
    private final List<DecodingOptions> rowOptions; // null: every row uses options

    private Seq2SeqGenerator(Builder builder) {
        super(VERSION);
        model = builder.model;
        options = builder.options;
        rowOptions = builder.rowOptions;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the model this generator decodes with.
     *
     * @return the transformer
     */
    public Seq2SeqTransformer getModel() {
        return model;
    }

    /**
     * Returns the decoding options.
     *
     * @return the options
     */
    public DecodingOptions getOptions() {
        return options;
    }

    /**
     * Returns the options of a row of the batch.
     *
     * @param row the row
     * @return its own options, or the generator's
     */
    public DecodingOptions getOptions(int row) {
        DecodingOptions own = rowOptions == null ? null : rowOptions.get(row);
        return own == null ? options : own;
    }

    /**
     * Wraps source ids so that the transformer's forward (the only one DJL's {@code Predictor}
     * calls) hands them to this generator.
     *
     * @param sourceIds the source ids {@code [B, S]}, and optionally the prefix ids {@code [B, P]}
     * @return the routed input, for the model's block
     */
    public RoutedInput route(NDList sourceIds) {
        return new RoutedInput(this, sourceIds);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (training) {
            throw new IllegalArgumentException("Seq2SeqGenerator decodes; it cannot train");
        }
        if (inputs.size() != 1 && inputs.size() != 2) {
            throw new IllegalArgumentException(
                    "Seq2SeqGenerator takes the source ids [B, S] and optionally the prefix ids"
                            + " [B, P], got "
                            + inputs.size()
                            + " arrays");
        }
        NDArray sourceIds = inputs.head(); // [B, S]
        int batch = (int) sourceIds.getShape().get(0);
        if (rowOptions != null && rowOptions.size() != batch) {
            throw new IllegalArgumentException(
                    rowOptions.size() + " row options for a batch of " + batch);
        }
        int[][] prefixes = inputs.size() == 2 ? unpad(inputs.get(1)) : null;
        return outputs(sourceIds.getManager(), decode(ps, sourceIds, prefixes));
    }

    /** Decodes every row with its options, rows of the same options as one batch. */
    private List<List<Hypothesis>> decode(ParameterStore ps, NDArray sourceIds, int[][] prefixes) {
        int batch = (int) sourceIds.getShape().get(0);
        Map<DecodingOptions, List<Integer>> groups = new LinkedHashMap<>();
        for (int r = 0; r < batch; r++) {
            groups.computeIfAbsent(getOptions(r), o -> new ArrayList<>()).add(r);
        }
        if (groups.size() == 1) {
            return SequenceDecoder.of(model, getOptions(0)).decodeNBest(ps, sourceIds, prefixes);
        }
        List<List<Hypothesis>> out = new ArrayList<>(Collections.nCopies(batch, null));
        for (Map.Entry<DecodingOptions, List<Integer>> group : groups.entrySet()) {
            List<Integer> rows = group.getValue();
            try (NDManager scope = sourceIds.getManager().newSubManager()) {
                long[] index = rows.stream().mapToLong(Integer::longValue).toArray();
                NDArray sub = sourceIds.get(scope, new NDIndex("{}", scope.create(index)));
                int[][] subPrefixes = null;
                if (prefixes != null) {
                    subPrefixes = rows.stream().map(r -> prefixes[r]).toArray(int[][]::new);
                }
                List<List<Hypothesis>> decoded =
                        SequenceDecoder.of(model, group.getKey()).decodeNBest(ps, sub, subPrefixes);
                for (int i = 0; i < rows.size(); i++) {
                    out.set(rows.get(i), decoded.get(i));
                }
            }
        }
        return out;
    }

    /** The five output arrays of {@link Seq2SeqGenerator}'s forward, from the hypotheses. */
    private static NDList outputs(NDManager manager, List<List<Hypothesis>> hypotheses) {
        int batch = hypotheses.size();
        int k = hypotheses.stream().mapToInt(List::size).max().orElse(1);
        int[][] best = new int[batch][];
        float[] bestScores = new float[batch];
        int[][] all = new int[batch * k][];
        float[] scores = new float[batch * k];
        float[] normalized = new float[batch * k];
        for (int r = 0; r < batch; r++) {
            List<Hypothesis> row = hypotheses.get(r);
            best[r] = row.get(0).getTokens();
            bestScores[r] = (float) row.get(0).getScore();
            for (int j = 0; j < k; j++) {
                boolean has = j < row.size();
                all[r * k + j] = has ? row.get(j).getTokens() : new int[0];
                scores[r * k + j] = has ? (float) row.get(j).getScore() : Float.NEGATIVE_INFINITY;
                normalized[r * k + j] =
                        has ? (float) row.get(j).getNormalizedScore() : Float.NEGATIVE_INFINITY;
            }
        }
        NDArray nBestIds = PaddingBatchifier.pad(manager, all).reshape(batch, k, -1);
        return new NDList(
                PaddingBatchifier.pad(manager, best), // [B, L]
                manager.create(bestScores), // [B]
                nBestIds, // [B, K, L']
                manager.create(scores, new Shape(batch, k)), // [B, K]
                manager.create(normalized, new Shape(batch, k))); // [B, K]
    }

    /** Each row of a PAD-padded {@code [B, P]} array, PAD removed. */
    private static int[][] unpad(NDArray ids) {
        int rows = (int) ids.getShape().get(0);
        int width = (int) ids.getShape().get(1);
        int[] flat = ids.toType(DataType.INT32, false).toIntArray();
        int[][] out = new int[rows][];
        for (int r = 0; r < rows; r++) {
            int length = 0;
            while (length < width && flat[r * width + length] != SpecialTokens.PAD_ID) {
                length++;
            }
            out[r] = Arrays.copyOfRange(flat, r * width, r * width + length);
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] { // L, K and L' known after decoding
            new Shape(batch, -1),
            new Shape(batch),
            new Shape(batch, -1, -1),
            new Shape(batch, -1),
            new Shape(batch, -1)
        };
    }

    /** Builds a {@link Seq2SeqGenerator}. */
    public static final class Builder {
        private Seq2SeqTransformer model;
        private DecodingOptions options = DecodingOptions.builder().build();
        private List<DecodingOptions> rowOptions;

        Builder() {}

        /**
         * Sets the model to decode with (required).
         *
         * @param model the initialised transformer
         * @return this builder
         */
        public Builder setModel(Seq2SeqTransformer model) {
            this.model = model;
            return this;
        }

        /**
         * Sets how to decode (default {@code DecodingOptions.builder().build()}: beam 4, cached).
         *
         * @param options the decoding options
         * @return this builder
         */
        public Builder optOptions(DecodingOptions options) {
            this.options = options;
            return this;
        }

        /**
         * Gives rows of the batch their own options (default: none, every row decodes with {@link
         * #optOptions}), e.g. the per-request options of a {@link Seq2SeqRequestTranslator}.
         *
         * @param rowOptions one entry per row of the batch; null entries take the generator's
         * @return this builder
         */
        public Builder optRowOptions(List<DecodingOptions> rowOptions) {
            this.rowOptions = rowOptions == null ? null : new ArrayList<>(rowOptions);
            return this;
        }

        /**
         * Builds the generator.
         *
         * @return the generator
         * @throws IllegalArgumentException if the model or the options are missing
         */
        public Seq2SeqGenerator build() {
            if (model == null || options == null) {
                throw new IllegalArgumentException(
                        "Seq2SeqGenerator needs a Seq2SeqTransformer and DecodingOptions");
            }
            return new Seq2SeqGenerator(this);
        }
    }
}
