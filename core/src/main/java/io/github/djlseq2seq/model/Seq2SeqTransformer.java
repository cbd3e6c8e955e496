package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.precision.Precision;

/**
 * The Transformer encoder–decoder of "Attention Is All You Need", as one DJL block.
 *
 * <p>Training forward (teacher forcing, all positions in one parallel pass):
 *
 * <pre>
 *   inputs:  sourceIds [B, S]   = [START, x1 … xn, END, PAD …]
 *            decoderInputIds [B, T] = [START, y1 … ym, PAD …]
 *   memory = Encoder(Embed(sourceIds))                 [B, S, D]
 *   h      = Decoder(Embed(decoderInputIds), memory)   [B, T, D]  (causal self-attention)
 *   output:  logits = Projection(h)                    [B, T, V]
 * </pre>
 *
 * <p>The logits at position t predict {@code Y_out[t]}, the token after {@code Y_in[t]}. For
 * inference, {@link #encode} and {@link #decode} run the two halves separately, and {@link
 * #decodeHidden} with an {@link IncrementalState} decodes step by step, reusing what earlier steps
 * computed.
 *
 * <p>Given a {@link RoutedInput} instead, forward hands it to the block it names (e.g. the decoding
 * block {@code inference.Seq2SeqGenerator}, which loops over this model): that is how a whole
 * decode runs inside DJL's {@code Predictor}, which calls only the model's block.
 */
public class Seq2SeqTransformer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final TransformerConfig config;
    private final Precision precision;
    private final TokenEmbedding sourceEmbedding;
    private final TokenEmbedding targetEmbedding;
    private final LayerStack encoder;
    private final LayerStack decoder;
    private final OutputProjection projection;

    Seq2SeqTransformer(Builder builder) {
        super(VERSION);
        config = builder.config;
        precision = builder.precision;
        sourceEmbedding =
                addChildBlock(
                        config.shareEmbeddings() ? "embedding" : "sourceEmbedding",
                        embedding(config.sourceVocabSize()));
        targetEmbedding =
                config.shareEmbeddings()
                        ? sourceEmbedding
                        : addChildBlock("targetEmbedding", embedding(config.targetVocabSize()));
        NormPlacement norm = config.normPlacement();
        encoder =
                addChildBlock(
                        "encoder",
                        LayerStack.builder()
                                .setLayers(
                                        config.encoderLayers(),
                                        () ->
                                                EncoderLayer.builder()
                                                        .setConfig(config)
                                                        .optPrecision(precision)
                                                        .build())
                                .optNormPlacement(norm)
                                .build());
        decoder =
                addChildBlock(
                        "decoder",
                        LayerStack.builder()
                                .setLayers(
                                        config.decoderLayers(),
                                        () ->
                                                DecoderLayer.builder()
                                                        .setConfig(config)
                                                        .optPrecision(precision)
                                                        .build())
                                .optNormPlacement(norm)
                                .build());
        OutputProjection.Builder projectionBuilder =
                OutputProjection.builder()
                        .setVocabSize(config.targetVocabSize())
                        .optPrecision(precision);
        if (config.tieOutputEmbedding()) {
            projectionBuilder.optTiedEmbedding(targetEmbedding);
        }
        projectionBuilder.optBias(config.outputBias());
        projection = addChildBlock("projection", projectionBuilder.build());

        // Initialisation, in one place: Glorot-uniform for every projection matrix (as the
        // Annotated Transformer); embeddings keep their own N(0, d^-1/2); biases 0; norms 1 and 0.
        // A stacked attention in-projection [P·D, D] gets it per [D, D] projection.
        Initializer glorot =
                new XavierInitializer(
                        XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3);
        setInitializer(glorot, p -> p.getType() == Parameter.Type.WEIGHT && !isEmbedding(p));
        setInitializer(new StackedInitializer(glorot), Seq2SeqTransformer::isStacked);
    }

    private TokenEmbedding embedding(int vocabSize) {
        return TokenEmbedding.builder()
                .setVocabSize(vocabSize)
                .setModelDim(config.modelDim())
                .optMaxLength(config.maxLength())
                .optDropout(config.dropout())
                .optPositionEncoding(config.positionEncoding())
                .optScale(config.scaleEmbedding())
                .build();
    }

    private static boolean isStacked(Parameter p) {
        String name = p.getName();
        return name.equals(AttentionLayout.IN_PROJECTION_WEIGHT)
                || name.equals(AttentionLayout.KEY_VALUE_WEIGHT);
    }

    private boolean isEmbedding(Parameter p) {
        return p == sourceEmbedding.getWeight() || p == targetEmbedding.getWeight();
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
     * Returns the configuration this model was built from.
     *
     * @return the configuration
     */
    public TransformerConfig getConfig() {
        return config;
    }

    /**
     * Returns the precision of this model's matrix products.
     *
     * @return the precision it was built with
     */
    public Precision getPrecision() {
        return precision;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs instanceof RoutedInput routed) { // e.g. a decoding loop over this model
            return routed.getBlock().forward(ps, routed.getInputs(), training, params);
        }
        NDArray sourceIds = inputs.get(0); // [B, S]
        NDArray decoderInputIds = inputs.get(1); // [B, T]
        NDArray memory = encode(ps, sourceIds, training); // [B, S, D]
        return new NDList(decode(ps, memory, sourceIds, decoderInputIds, training)); // [B, T, V]
    }

    /**
     * Runs the encoder.
     *
     * @param ps the parameter store
     * @param sourceIds source ids {@code [B, S]}, PAD-padded
     * @param training whether dropout is active
     * @return the encoder output {@code [B, S, D]}
     */
    public NDArray encode(ParameterStore ps, NDArray sourceIds, boolean training) {
        NDArray x = sourceEmbedding.embed(ps, sourceIds, 0, training); // [B, S, D]
        NDArray bias = Masks.keyPadding(sourceIds, SpecialTokens.PAD_ID, x.getDataType());
        return encoder.forward(ps, new NDList(x, bias), training).head();
    }

    /**
     * Runs the decoder over a whole (teacher-forced or partial) target prefix in one pass.
     *
     * @param ps the parameter store
     * @param memory the encoder output {@code [B, S, D]}
     * @param sourceIds the source ids {@code [B, S]}, for the cross-attention padding mask
     * @param decoderInputIds the decoder input {@code [B, T]}, starting with START
     * @param training whether dropout is active
     * @return the logits {@code [B, T, V]}; position t predicts the token after input t
     */
    public NDArray decode(
            ParameterStore ps,
            NDArray memory,
            NDArray sourceIds,
            NDArray decoderInputIds,
            boolean training) {
        NDArray h = decodeHidden(ps, memory, sourceIds, decoderInputIds, null, training);
        return project(ps, h, training); // [B, T, V]
    }

    /**
     * Runs the decoder stack, in one parallel pass (no state) or incrementally (with a state).
     *
     * <p>Without a state, {@code decoderInputIds} is the whole prefix from START, behind the causal
     * and target-padding mask. With a state, it holds only the T new tokens, at positions {@code t
     * .. t+T-1} after the t already decoded (their embedding offset); every decoder layer attends
     * to its cached keys and values plus the new ones, and the state advances by T. Target padding
     * is not masked in this mode: decoding never feeds PAD to a live row. Both modes run the same
     * layer code and give the same states, up to float rounding.
     *
     * <p>Memory: with a state, every array the step makes (the result included) belongs to the
     * manager of {@code decoderInputIds}; make them in a per-step sub-manager and close it after
     * the step. {@code memory} and {@code sourceIds} join that manager for the step and return to
     * their own when it closes.
     *
     * @param ps the parameter store
     * @param memory the encoder output {@code [B, S, D]}; with a state, read on the first step only
     * @param sourceIds the source ids {@code [B, S]}, for the cross-attention padding mask
     * @param decoderInputIds the decoder input {@code [B, T]}
     * @param state the incremental state, or null for the parallel pass
     * @param training whether dropout is active
     * @return the decoder output {@code [B, T, D]}, after the final norm of a pre-norm stack
     */
    public NDArray decodeHidden(
            ParameterStore ps,
            NDArray memory,
            NDArray sourceIds,
            NDArray decoderInputIds,
            IncrementalState state,
            boolean training) {
        DataType type = memory.getDataType();
        int pad = SpecialTokens.PAD_ID;
        if (state == null) {
            NDArray y = targetEmbedding.embed(ps, decoderInputIds, 0, training); // [B, T, D]
            NDArray selfBias = Masks.decoderSelfAttention(decoderInputIds, pad, type); // [B,1,T,T]
            NDArray crossBias = Masks.keyPadding(sourceIds, pad, type); // [B, 1, 1, S]
            NDList inputs = new NDList(y, memory, crossBias, selfBias);
            return decoder.forward(ps, inputs, training).head(); // [B, T, D]
        }
        long offset = state.getLength();
        long length = decoderInputIds.getShape().get(1);
        // Everything this step makes goes to the step's manager: the arrays it reads from other
        // managers join it for the step (memory and source ids return to theirs when it closes).
        NDManager step = decoderInputIds.getManager();
        IncrementalState.joinStep(memory, step);
        IncrementalState.joinStep(sourceIds, step);
        state.beginStep(step);
        try {
            NDArray y = targetEmbedding.embed(ps, decoderInputIds, offset, training); // [B, T, D]
            NDArray crossBias = Masks.keyPadding(sourceIds, pad, type); // [B, 1, 1, S]
            NDList inputs = new NDList(y, memory, crossBias);
            if (length > 1) { // one new query sees every cached key: no mask
                inputs.add(Masks.causal(step, length, offset, type)); // [1, 1, T, t + T]
            }
            return decoder.forward(ps, inputs, training, state.toParams()).head(); // [B, T, D]
        } finally {
            state.endStep(length);
        }
    }

    /**
     * Projects decoder outputs to target-vocabulary logits.
     *
     * @param ps the parameter store
     * @param hidden decoder outputs {@code [B, T, D]}
     * @param training whether in training mode
     * @return the logits {@code [B, T, V]}
     */
    public NDArray project(ParameterStore ps, NDArray hidden, boolean training) {
        return projection.forward(ps, new NDList(hidden), training).head();
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape source = inputShapes[0]; // [B, S]
        Shape target = inputShapes[1]; // [B, T]
        long d = config.modelDim();
        Shape x = source.add(d); // [B, S, D]
        Shape y = target.add(d); // [B, T, D]
        sourceEmbedding.initialize(manager, dataType, source);
        if (targetEmbedding != sourceEmbedding) {
            targetEmbedding.initialize(manager, dataType, target);
        }
        Shape sourceBias = new Shape(source.get(0), 1, 1, source.get(1));
        Shape targetBias = new Shape(target.get(0), 1, target.get(1), target.get(1));
        encoder.initialize(manager, dataType, x, sourceBias);
        decoder.initialize(manager, dataType, y, x, sourceBias, targetBias);
        projection.initialize(manager, dataType, y);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[1].add(config.targetVocabSize())};
    }

    /**
     * Counts the model's trainable scalars (shared and tied matrices counted once).
     *
     * @return the number of parameters; the model must be initialised
     */
    public long countParameters() {
        return getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
    }

    /** Builds a {@link Seq2SeqTransformer} from a {@link TransformerConfig}. */
    public static final class Builder {
        private TransformerConfig config;
        private Precision precision = Precision.FP32;

        Builder() {}

        /**
         * Sets the configuration.
         *
         * @param config the validated hyper-parameters
         * @return this builder
         */
        public Builder setConfig(TransformerConfig config) {
            this.config = config;
            return this;
        }

        /**
         * Sets the precision of the model's matrix products (default {@link Precision#FP32}); the
         * parameters stay float32 either way, so a model trained in one precision runs in the
         * other.
         *
         * @param precision the precision, already resolved for the device ({@link
         *     io.github.djlseq2seq.precision.Bf16Support#resolve})
         * @return this builder
         */
        public Builder optPrecision(Precision precision) {
            this.precision = precision == null ? Precision.FP32 : precision;
            return this;
        }

        /**
         * Builds the (uninitialised) model.
         *
         * @return the model
         */
        public Seq2SeqTransformer build() {
            if (config == null) {
                throw new IllegalArgumentException("Seq2SeqTransformer needs a TransformerConfig");
            }
            return new Seq2SeqTransformer(this);
        }
    }
}
