package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

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
 * inference, {@link #encode} and {@link #decode} run the two halves separately.
 */
public class Seq2SeqTransformer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final TransformerConfig config;
    private final TokenEmbedding sourceEmbedding;
    private final TokenEmbedding targetEmbedding;
    private final LayerStack encoder;
    private final LayerStack decoder;
    private final OutputProjection projection;

    Seq2SeqTransformer(Builder builder) {
        super(VERSION);
        config = builder.config;
        sourceEmbedding =
                addChildBlock(
                        config.isShareEmbeddings() ? "embedding" : "sourceEmbedding",
                        embedding(config.getSourceVocabSize()));
        targetEmbedding =
                config.isShareEmbeddings()
                        ? sourceEmbedding
                        : addChildBlock("targetEmbedding", embedding(config.getTargetVocabSize()));
        NormPlacement norm = config.getNormPlacement();
        encoder =
                addChildBlock(
                        "encoder",
                        new LayerStack(
                                config.getEncoderLayers(), () -> new EncoderLayer(config), norm));
        decoder =
                addChildBlock(
                        "decoder",
                        new LayerStack(
                                config.getDecoderLayers(), () -> new DecoderLayer(config), norm));
        OutputProjection.Builder projectionBuilder =
                OutputProjection.builder().setVocabSize(config.getTargetVocabSize());
        if (config.isTieOutputEmbedding()) {
            projectionBuilder.optTiedEmbedding(targetEmbedding);
        }
        projection = addChildBlock("projection", projectionBuilder.build());

        // Initialisation, in one place: Glorot-uniform for every projection matrix (as the
        // Annotated Transformer); embeddings keep their own N(0, d^-1/2); biases 0; norms 1 and 0.
        setInitializer(
                new XavierInitializer(
                        XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3),
                p -> p.getType() == Parameter.Type.WEIGHT && !isEmbedding(p));
    }

    private TokenEmbedding embedding(int vocabSize) {
        return TokenEmbedding.builder()
                .setVocabSize(vocabSize)
                .setModelDim(config.getModelDim())
                .optMaxLength(config.getMaxLength())
                .optDropout(config.getDropout())
                .build();
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

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
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
        NDArray bias = Masks.keyPadding(sourceIds, config.getPadId(), x.getDataType());
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
        DataType type = memory.getDataType();
        NDArray y = targetEmbedding.embed(ps, decoderInputIds, 0, training); // [B, T, D]
        NDArray selfBias = Masks.decoderSelfAttention(decoderInputIds, config.getPadId(), type);
        NDArray crossBias = Masks.keyPadding(sourceIds, config.getPadId(), type);
        NDArray h =
                decoder.forward(ps, new NDList(y, memory, selfBias, crossBias), training).head();
        return projection.forward(ps, new NDList(h), training).head();
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape source = inputShapes[0]; // [B, S]
        Shape target = inputShapes[1]; // [B, T]
        long d = config.getModelDim();
        Shape x = source.add(d); // [B, S, D]
        Shape y = target.add(d); // [B, T, D]
        sourceEmbedding.initialize(manager, dataType, source);
        if (targetEmbedding != sourceEmbedding) {
            targetEmbedding.initialize(manager, dataType, target);
        }
        Shape sourceBias = new Shape(source.get(0), 1, 1, source.get(1));
        Shape targetBias = new Shape(target.get(0), 1, target.get(1), target.get(1));
        encoder.initialize(manager, dataType, x, sourceBias);
        decoder.initialize(manager, dataType, y, x, targetBias, sourceBias);
        projection.initialize(manager, dataType, y);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[1].add(config.getTargetVocabSize())};
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
