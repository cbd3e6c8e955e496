package io.github.djlseq2seq.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.github.djlseq2seq.data.SpecialTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The immutable hyper-parameters of a {@link Seq2SeqTransformer}.
 *
 * <p>Built with {@link #builder()}; every value is validated by the canonical constructor, so a
 * configuration built by {@link Builder#build()} or read from JSON is always usable. The JSON keys
 * are the component names below.
 *
 * @param sourceVocabSize the source vocabulary size
 * @param targetVocabSize the target vocabulary size
 * @param modelDim the model width d
 * @param numHeads the number of attention heads; divides {@code modelDim}
 * @param encoderLayers the number of encoder layers
 * @param decoderLayers the number of decoder layers
 * @param feedForwardDim the hidden width of the position-wise feed-forward network
 * @param dropout the dropout rate used in training, in [0, 1)
 * @param maxLength the longest sequence (in tokens, START and END included) the model accepts
 * @param padId the padding id, never attended to and never a loss target
 * @param normPlacement where LayerNorm sits relative to each residual connection
 * @param tieOutputEmbedding whether the output projection reuses the target embedding matrix
 * @param shareEmbeddings whether source and target share one embedding matrix
 * @param positionEncoding the sine/cosine layout of the position encoding (absent in JSON: {@link
 *     PositionEncoding#INTERLEAVED})
 * @param scaleEmbedding whether token embeddings are multiplied by √d before the positions are
 *     added (absent: true)
 * @param activation the feed-forward activation (absent: {@link FeedForwardActivation#RELU})
 * @param outputBias whether the output projection adds a bias of its own, also when tied (Marian's
 *     {@code final_logits_bias}; absent: only when untied)
 * @param sourceStart whether source sequences begin with START (absent: true; Marian's sources are
 *     {@code [x…, END]})
 */
public record TransformerConfig(
        int sourceVocabSize,
        int targetVocabSize,
        int modelDim,
        int numHeads,
        int encoderLayers,
        int decoderLayers,
        int feedForwardDim,
        float dropout,
        int maxLength,
        int padId,
        NormPlacement normPlacement,
        boolean tieOutputEmbedding,
        boolean shareEmbeddings,
        PositionEncoding positionEncoding,
        Boolean scaleEmbedding,
        FeedForwardActivation activation,
        Boolean outputBias,
        Boolean sourceStart) {

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /**
     * Validates the values, as every configuration is validated, built or read from JSON; prefer
     * {@link #builder()}, which names each value and has defaults.
     *
     * @param sourceVocabSize the {@link #sourceVocabSize()} component
     * @param targetVocabSize the {@link #targetVocabSize()} component
     * @param modelDim the {@link #modelDim()} component
     * @param numHeads the {@link #numHeads()} component
     * @param encoderLayers the {@link #encoderLayers()} component
     * @param decoderLayers the {@link #decoderLayers()} component
     * @param feedForwardDim the {@link #feedForwardDim()} component
     * @param dropout the {@link #dropout()} component
     * @param maxLength the {@link #maxLength()} component
     * @param padId the {@link #padId()} component
     * @param normPlacement the {@link #normPlacement()} component
     * @param tieOutputEmbedding the {@link #tieOutputEmbedding()} component
     * @param shareEmbeddings the {@link #shareEmbeddings()} component
     * @param positionEncoding the {@link #positionEncoding()} component; null for the default
     * @param scaleEmbedding the {@link #scaleEmbedding()} component; null for the default
     * @param activation the {@link #activation()} component; null for the default
     * @param outputBias the {@link #outputBias()} component; null for the default
     * @param sourceStart the {@link #sourceStart()} component; null for the default
     * @throws IllegalArgumentException naming the first bad field
     */
    public TransformerConfig {
        // keys added after version 0.1 may be absent from a config.json: today's behaviour
        positionEncoding =
                positionEncoding == null ? PositionEncoding.INTERLEAVED : positionEncoding;
        scaleEmbedding = scaleEmbedding == null || scaleEmbedding;
        activation = activation == null ? FeedForwardActivation.RELU : activation;
        outputBias = outputBias == null ? !tieOutputEmbedding : outputBias;
        sourceStart = sourceStart == null || sourceStart;
        positive("sourceVocabSize", sourceVocabSize);
        positive("targetVocabSize", targetVocabSize);
        positive("modelDim", modelDim);
        positive("numHeads", numHeads);
        positive("encoderLayers", encoderLayers);
        positive("decoderLayers", decoderLayers);
        positive("feedForwardDim", feedForwardDim);
        positive("maxLength", maxLength);
        if (modelDim % numHeads != 0) {
            throw new IllegalArgumentException(
                    "modelDim (" + modelDim + ") must be divisible by numHeads (" + numHeads + ")");
        }
        if (modelDim % 2 != 0) {
            throw new IllegalArgumentException(
                    "modelDim (" + modelDim + ") must be even for sinusoidal positions");
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout (" + dropout + ") must be in [0, 1)");
        }
        if (padId != SpecialTokens.PAD_ID) {
            // one source of truth: tokenizers, batching, masks, loss and decoding all pad with
            // SpecialTokens.PAD_ID; a config that says otherwise would silently corrupt them
            throw new IllegalArgumentException(
                    "padId ("
                            + padId
                            + ") must be "
                            + SpecialTokens.PAD_ID
                            + ": the library's tokenizers, batching, masks, loss and decoding all"
                            + " pad with SpecialTokens.PAD_ID");
        }
        if (normPlacement == null) {
            throw new IllegalArgumentException("normPlacement must be POST or PRE");
        }
        if (shareEmbeddings && sourceVocabSize != targetVocabSize) {
            throw new IllegalArgumentException(
                    "shareEmbeddings needs equal vocabularies, got sourceVocabSize "
                            + sourceVocabSize
                            + " and targetVocabSize "
                            + targetVocabSize);
        }
    }

    /**
     * Creates a builder with the defaults of a small model.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns how many special tokens wrap a source sequence: START and END, or END alone when
     * {@link #sourceStart()} is false (Marian's {@code [x…, END]}).
     *
     * @return 2 or 1
     */
    public int sourceSpecialTokens() {
        return sourceStart ? 2 : 1;
    }

    /**
     * Returns a builder holding this configuration's values, to derive a changed copy.
     *
     * @return a new builder initialised from this configuration
     */
    public Builder toBuilder() {
        return new Builder()
                .setSourceVocabSize(sourceVocabSize)
                .setTargetVocabSize(targetVocabSize)
                .optModelDim(modelDim)
                .optNumHeads(numHeads)
                .optEncoderLayers(encoderLayers)
                .optDecoderLayers(decoderLayers)
                .optFeedForwardDim(feedForwardDim)
                .optDropout(dropout)
                .optMaxLength(maxLength)
                .optPadId(padId)
                .optNormPlacement(normPlacement)
                .optTieOutputEmbedding(tieOutputEmbedding)
                .optShareEmbeddings(shareEmbeddings)
                .optPositionEncoding(positionEncoding)
                .optScaleEmbedding(scaleEmbedding)
                .optActivation(activation)
                .optSourceStart(sourceStart)
                .keepOutputBias(outputBias == tieOutputEmbedding ? outputBias : null);
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }

    /**
     * Counts the model's parameters from the configuration alone, matrix by matrix.
     *
     * <pre>
     *   attention  = 4 (D² + D)                  query, key, value, output projections
     *   feedForward = D·F + F + F·D + D
     *   norm       = 2 D                         gain and bias
     *   encoder    = Ne (attention + feedForward + 2 norm)
     *   decoder    = Nd (2 attention + feedForward + 3 norm)
     *   final norms = 2 norm when PRE, else 0
     *   embeddings = (Vs + Vt) D, or Vs D when shared
     *   projection = Vt D when untied, plus Vt with an output bias
     * </pre>
     *
     * @return the number of trainable scalars
     */
    public long parameterCount() {
        long d = modelDim;
        long f = feedForwardDim;
        long attention = 4 * (d * d + d);
        long feedForward = d * f + f + f * d + d;
        long norm = 2 * d;
        long encoder = encoderLayers * (attention + feedForward + 2 * norm);
        long decoder = decoderLayers * (2 * attention + feedForward + 3 * norm);
        long finalNorms = normPlacement == NormPlacement.PRE ? 2 * norm : 0;
        long embeddings =
                shareEmbeddings ? sourceVocabSize * d : (sourceVocabSize + targetVocabSize) * d;
        long projection =
                (tieOutputEmbedding ? 0 : targetVocabSize * d) + (outputBias ? targetVocabSize : 0);
        return embeddings + encoder + decoder + finalNorms + projection;
    }

    /**
     * Serialises this configuration to JSON.
     *
     * @return the JSON text
     */
    public String toJson() {
        JsonObject json = GSON.toJsonTree(this).getAsJsonObject();
        // keys added after 0.1.0 are written only when they differ from their default, so that
        // a configuration 0.1.0 could express reads back as the same file
        dropDefault(json, "positionEncoding", positionEncoding == PositionEncoding.INTERLEAVED);
        dropDefault(json, "scaleEmbedding", scaleEmbedding);
        dropDefault(json, "activation", activation == FeedForwardActivation.RELU);
        dropDefault(json, "outputBias", outputBias != tieOutputEmbedding);
        dropDefault(json, "sourceStart", sourceStart);
        return GSON.toJson(json);
    }

    private static void dropDefault(JsonObject json, String key, boolean isDefault) {
        if (isDefault) {
            json.remove(key);
        }
    }

    /**
     * Parses and validates a configuration from JSON.
     *
     * @param json the JSON text
     * @return the configuration
     * @throws IllegalArgumentException if the JSON is malformed, lacks a field or holds a bad value
     */
    public static TransformerConfig fromJson(String json) {
        TransformerConfig config;
        try {
            config = GSON.fromJson(json, TransformerConfig.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(
                    "Malformed model configuration: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Gson wraps what the canonical constructor throws; a missing key reaches it as 0,
            // false or null
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw e;
        }
        if (config == null) {
            throw new IllegalArgumentException("Empty model configuration");
        }
        return config;
    }

    /**
     * Writes this configuration as JSON to a file.
     *
     * @param file the file to write
     * @throws IOException if the file cannot be written
     */
    public void save(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a configuration from a JSON file.
     *
     * @param file the file to read
     * @return the configuration
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if its content is not a valid configuration; the message
     *     names the file
     */
    public static TransformerConfig load(Path file) throws IOException {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return toJson();
    }

    /** Builds a {@link TransformerConfig}: vocabulary sizes are required, the rest optional. */
    public static final class Builder {
        private int sourceVocabSize;
        private int targetVocabSize;
        private int modelDim = 256;
        private int numHeads = 4;
        private int encoderLayers = 3;
        private int decoderLayers = 3;
        private int feedForwardDim = 1024;
        private float dropout = 0.1f;
        private int maxLength = 256;
        private int padId;
        private NormPlacement normPlacement = NormPlacement.POST;
        private boolean tieOutputEmbedding;
        private boolean shareEmbeddings;
        private PositionEncoding positionEncoding;
        private Boolean scaleEmbedding;
        private FeedForwardActivation activation;
        private Boolean outputBias;
        private Boolean sourceStart;

        Builder() {}

        /**
         * Sets the source vocabulary size.
         *
         * @param size the number of source token ids
         * @return this builder
         */
        public Builder setSourceVocabSize(int size) {
            sourceVocabSize = size;
            return this;
        }

        /**
         * Sets the target vocabulary size.
         *
         * @param size the number of target token ids
         * @return this builder
         */
        public Builder setTargetVocabSize(int size) {
            targetVocabSize = size;
            return this;
        }

        /**
         * Sets the model width d (default 256).
         *
         * @param dim the width of every token representation
         * @return this builder
         */
        public Builder optModelDim(int dim) {
            modelDim = dim;
            return this;
        }

        /**
         * Sets the number of attention heads (default 4); must divide the model width.
         *
         * @param heads the number of heads
         * @return this builder
         */
        public Builder optNumHeads(int heads) {
            numHeads = heads;
            return this;
        }

        /**
         * Sets the number of encoder layers (default 3).
         *
         * @param layers the number of layers
         * @return this builder
         */
        public Builder optEncoderLayers(int layers) {
            encoderLayers = layers;
            return this;
        }

        /**
         * Sets the number of decoder layers (default 3).
         *
         * @param layers the number of layers
         * @return this builder
         */
        public Builder optDecoderLayers(int layers) {
            decoderLayers = layers;
            return this;
        }

        /**
         * Sets the feed-forward hidden width (default 1024).
         *
         * @param dim the hidden width
         * @return this builder
         */
        public Builder optFeedForwardDim(int dim) {
            feedForwardDim = dim;
            return this;
        }

        /**
         * Sets the dropout rate (default 0.1), in [0, 1).
         *
         * @param rate the rate
         * @return this builder
         */
        public Builder optDropout(float rate) {
            dropout = rate;
            return this;
        }

        /**
         * Sets the longest accepted sequence length (default 256).
         *
         * @param length the length in tokens
         * @return this builder
         */
        public Builder optMaxLength(int length) {
            maxLength = length;
            return this;
        }

        /**
         * Sets the padding id (default and only accepted value: {@link SpecialTokens#PAD_ID}, 0;
         * kept so that a config.json naming it stays readable).
         *
         * @param id the padding id
         * @return this builder
         */
        public Builder optPadId(int id) {
            padId = id;
            return this;
        }

        /**
         * Sets the LayerNorm placement (default {@link NormPlacement#POST}).
         *
         * @param placement the placement
         * @return this builder
         */
        public Builder optNormPlacement(NormPlacement placement) {
            normPlacement = placement;
            return this;
        }

        /**
         * Ties the output projection to the target embedding (default false).
         *
         * @param tie whether to tie
         * @return this builder
         */
        public Builder optTieOutputEmbedding(boolean tie) {
            tieOutputEmbedding = tie;
            return this;
        }

        /**
         * Uses one embedding matrix for source and target (default false); needs equal
         * vocabularies.
         *
         * @param share whether to share
         * @return this builder
         */
        public Builder optShareEmbeddings(boolean share) {
            shareEmbeddings = share;
            return this;
        }

        /**
         * Sets the position encoding's layout (default {@link PositionEncoding#INTERLEAVED}).
         *
         * @param encoding the layout
         * @return this builder
         */
        public Builder optPositionEncoding(PositionEncoding encoding) {
            positionEncoding = encoding;
            return this;
        }

        /**
         * Sets whether token embeddings are scaled by √d (default true).
         *
         * @param scale whether to scale
         * @return this builder
         */
        public Builder optScaleEmbedding(boolean scale) {
            scaleEmbedding = scale;
            return this;
        }

        /**
         * Sets the feed-forward activation (default {@link FeedForwardActivation#RELU}).
         *
         * @param function the activation
         * @return this builder
         */
        public Builder optActivation(FeedForwardActivation function) {
            activation = function;
            return this;
        }

        /**
         * Sets whether the output projection has a bias (default: exactly when untied); a tied
         * projection with a bias is Marian's {@code final_logits_bias}.
         *
         * @param bias whether to add a bias
         * @return this builder
         */
        public Builder optOutputBias(boolean bias) {
            outputBias = bias;
            return this;
        }

        /** Keeps a non-default output bias across {@link #toBuilder()}; null follows the tie. */
        private Builder keepOutputBias(Boolean bias) {
            outputBias = bias;
            return this;
        }

        /**
         * Sets whether source sequences begin with START (default true); false gives Marian's
         * {@code [x…, END]}.
         *
         * @param start whether sources begin with START
         * @return this builder
         */
        public Builder optSourceStart(boolean start) {
            sourceStart = start;
            return this;
        }

        /**
         * Validates the values and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first bad field
         */
        public TransformerConfig build() {
            return new TransformerConfig(
                    sourceVocabSize,
                    targetVocabSize,
                    modelDim,
                    numHeads,
                    encoderLayers,
                    decoderLayers,
                    feedForwardDim,
                    dropout,
                    maxLength,
                    padId,
                    normPlacement,
                    tieOutputEmbedding,
                    shareEmbeddings,
                    positionEncoding,
                    scaleEmbedding,
                    activation,
                    outputBias,
                    sourceStart);
        }
    }
}
