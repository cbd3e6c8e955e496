package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.djlseq2seq.data.PaddingBatchifier;
import io.github.djlseq2seq.model.RoutedInput;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.util.List;

/**
 * Decoding as a DJL block: its forward turns source ids into output ids, greedily or by beam search
 * as its {@link DecodingOptions} say, with the key/value cache unless told otherwise.
 *
 * <pre>
 *   input:   sourceIds [B, S]   = [START, x1 … xn, END, PAD …]
 *   outputs: ids [B, L]          int32, each row the output tokens (no START, no END), PAD-padded
 *            scores [B]          float32, each row's log-probability, END included
 * </pre>
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

    private Seq2SeqGenerator(Builder builder) {
        super(VERSION);
        model = builder.model;
        options = builder.options;
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
     * Wraps source ids so that the transformer's forward (the only one DJL's {@code Predictor}
     * calls) hands them to this generator.
     *
     * @param sourceIds the source ids {@code [B, S]}, alone in the list
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
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(
                    "Seq2SeqGenerator takes the source ids [B, S] alone, got "
                            + inputs.size()
                            + " arrays");
        }
        NDArray sourceIds = inputs.head(); // [B, S]
        List<Hypothesis> hypotheses = SequenceDecoder.of(model, options).decode(ps, sourceIds);
        int[][] rows = new int[hypotheses.size()][];
        float[] scores = new float[hypotheses.size()];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = hypotheses.get(r).getTokens();
            scores[r] = (float) hypotheses.get(r).getScore();
        }
        NDManager manager = sourceIds.getManager();
        NDArray ids = PaddingBatchifier.pad(manager, rows); // [B, L], PAD-padded
        return new NDList(ids, manager.create(scores)); // [B, L], [B]
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(batch, -1), new Shape(batch)}; // L known after decoding
    }

    /** Builds a {@link Seq2SeqGenerator}. */
    public static final class Builder {
        private Seq2SeqTransformer model;
        private DecodingOptions options = DecodingOptions.builder().build();

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
