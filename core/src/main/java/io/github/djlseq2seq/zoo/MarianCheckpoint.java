package io.github.djlseq2seq.zoo;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.djlseq2seq.data.MarianIds;
import io.github.djlseq2seq.data.MarianTokenizer;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.inference.LengthNormalization;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import io.github.djlseq2seq.model.FeedForwardActivation;
import io.github.djlseq2seq.model.NormPlacement;
import io.github.djlseq2seq.model.PositionEncoding;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.precision.Precision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face MarianMT (OPUS-MT) checkpoint directory, as {@code huggingface-cli download
 * Helsinki-NLP/opus-mt-en-es --local-dir DIR} lays it out: config.json, model.safetensors,
 * source.spm, target.spm, vocab.json, tokenizer_config.json and generation_config.json.
 *
 * <p>It loads into this library's own {@link Seq2SeqTransformer}: config.json becomes a {@link
 * TransformerConfig} (post-norm, {@link PositionEncoding#SPLIT} positions from 0, {@code
 * scale_embedding}, the configured activation, one shared vocabulary, tied output with {@code
 * final_logits_bias}, sources {@code [x…, END]}), the weights are mapped by {@link MarianWeights}
 * and the ids by {@link MarianIds}, and generation_config.json becomes {@link DecodingOptions}
 * ({@link LengthNormalization#HUGGING_FACE}). Two ways in:
 *
 * <pre>
 *   ZooModel&lt;String, String&gt; model = MarianCheckpoint.criteria(dir, Map.of()).loadModel();
 *   // or, piece by piece:
 *   Seq2SeqTransformer block = MarianCheckpoint.loadBlock(dir, manager);
 *   Seq2SeqTranslator translator = MarianCheckpoint.translator(dir, Map.of());
 * </pre>
 */
public final class MarianCheckpoint {

    /** Hugging Face's model configuration. */
    public static final String CONFIG = "config.json";

    /** The generation defaults. */
    public static final String GENERATION_CONFIG = "generation_config.json";

    /** The weights. */
    public static final String WEIGHTS = "model.safetensors";

    /** The piece → id vocabulary shared by both sides. */
    public static final String VOCABULARY = "vocab.json";

    /** The source side's SentencePiece model. */
    public static final String SOURCE_SPM = "source.spm";

    /** The target side's SentencePiece model. */
    public static final String TARGET_SPM = "target.spm";

    private MarianCheckpoint() {}

    /**
     * Tells whether a directory holds a Marian checkpoint: a config.json whose {@code model_type}
     * is {@code marian}.
     *
     * @param dir the directory
     * @return true for a Marian checkpoint
     */
    public static boolean isMarian(Path dir) {
        Path file = dir.resolve(CONFIG);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            JsonElement type = json(file).get("model_type");
            return type != null && "marian".equals(type.getAsString());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Makes DJL criteria that load the checkpoint as a {@code ZooModel<String, String>}.
     *
     * @param dir the checkpoint directory
     * @param arguments decoding arguments that override generation_config.json (as {@link
     *     Seq2SeqTranslatorFactory#options(Map)} reads them: beamSize, lengthPenalty, …)
     * @return the criteria
     */
    public static Criteria<String, String> criteria(Path dir, Map<String, ?> arguments) {
        return criteria(dir, String.class, String.class, arguments);
    }

    /**
     * Makes DJL criteria that load the checkpoint with any of the translator's types: {@code String
     * → String}, {@code TranslationRequest → TranslationResult} (per-call options, target prefixes,
     * n-best lists) or {@code Input → Output} (JSON, as DJL Serving asks).
     *
     * @param dir the checkpoint directory
     * @param input the translator's input type
     * @param output the translator's output type
     * @param arguments decoding arguments that override generation_config.json
     * @param <I> the input type
     * @param <O> the output type
     * @return the criteria
     */
    public static <I, O> Criteria<I, O> criteria(
            Path dir, Class<I> input, Class<O> output, Map<String, ?> arguments) {
        Criteria.Builder<I, O> b =
                Criteria.builder()
                        .setTypes(input, output)
                        .optModelPath(dir)
                        .optEngine("PyTorch")
                        .optOption("hasParameter", "false")
                        .optArgument("blockFactory", MarianBlockFactory.class.getName())
                        .optTranslatorFactory(new MarianTranslatorFactory());
        arguments.forEach(b::optArgument);
        return b.build();
    }

    /**
     * Loads the checkpoint with {@link #criteria}.
     *
     * @param dir the checkpoint directory
     * @return the model, ready for {@code newPredictor()}
     * @throws IOException if a file cannot be read
     * @throws MalformedModelException if the checkpoint is malformed
     * @throws ModelNotFoundException if DJL finds no model there
     */
    public static ZooModel<String, String> load(Path dir)
            throws IOException, MalformedModelException, ModelNotFoundException {
        return criteria(dir, Map.of()).loadModel();
    }

    /**
     * Reads config.json into our configuration.
     *
     * @param dir the checkpoint directory
     * @return the configuration
     * @throws IOException if config.json cannot be read
     * @throws IllegalArgumentException naming config.json and the field, if a value is missing,
     *     malformed or not supported
     */
    public static TransformerConfig config(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG);
        JsonObject c = json(file);
        Fields f = new Fields(file, c);
        if (c.has("model_type") && !"marian".equals(f.string("model_type", "marian"))) {
            throw f.bad("model_type", "is not marian");
        }
        if (!f.bool("share_encoder_decoder_embeddings", true)) {
            throw f.bad(
                    "share_encoder_decoder_embeddings",
                    "false (separate source and target vocabularies) is not supported");
        }
        int vocab = f.integer("vocab_size", null);
        if (f.integer("decoder_vocab_size", vocab) != vocab) {
            throw f.bad("decoder_vocab_size", "differs from vocab_size");
        }
        int heads = f.integer("encoder_attention_heads", null);
        if (f.integer("decoder_attention_heads", heads) != heads) {
            throw f.bad("decoder_attention_heads", "differs from encoder_attention_heads");
        }
        int ffn = f.integer("encoder_ffn_dim", null);
        if (f.integer("decoder_ffn_dim", ffn) != ffn) {
            throw f.bad("decoder_ffn_dim", "differs from encoder_ffn_dim");
        }
        ids(dir); // checks the special ids
        try {
            return TransformerConfig.builder()
                    .setSourceVocabSize(vocab + 1)
                    .setTargetVocabSize(vocab + 1)
                    .optModelDim(f.integer("d_model", null))
                    .optNumHeads(heads)
                    .optEncoderLayers(f.integer("encoder_layers", null))
                    .optDecoderLayers(f.integer("decoder_layers", null))
                    .optFeedForwardDim(ffn)
                    .optDropout((float) f.number("dropout", 0.1))
                    .optMaxLength(f.integer("max_position_embeddings", null))
                    .optNormPlacement(NormPlacement.POST)
                    .optShareEmbeddings(true)
                    .optTieOutputEmbedding(f.bool("tie_word_embeddings", true))
                    .optOutputBias(true)
                    .optPositionEncoding(PositionEncoding.SPLIT)
                    .optScaleEmbedding(f.bool("scale_embedding", false))
                    .optActivation(activation(f))
                    .optSourceStart(false)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static FeedForwardActivation activation(Fields f) {
        String name = f.string("activation_function", "gelu");
        return switch (name) {
            case "swish", "silu" -> FeedForwardActivation.SWISH;
            case "gelu" -> FeedForwardActivation.GELU;
            case "relu" -> FeedForwardActivation.RELU;
            default ->
                    throw f.bad(
                            "activation_function",
                            "\"" + name + "\" is not supported (swish, silu, gelu or relu)");
        };
    }

    /**
     * Reads the id mapping from config.json ({@code vocab_size}, {@code eos_token_id}, {@code
     * pad_token_id}, {@code decoder_start_token_id}) and vocab.json ({@code <unk>}).
     *
     * @param dir the checkpoint directory
     * @return the mapping
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException naming the file and field of a bad id
     */
    public static MarianIds ids(Path dir) throws IOException {
        Path file = dir.resolve(CONFIG);
        Fields f = new Fields(file, json(file));
        int vocab = f.integer("vocab_size", null);
        int pad = f.integer("pad_token_id", vocab - 1);
        if (f.integer("decoder_start_token_id", pad) != pad) {
            throw f.bad("decoder_start_token_id", "must equal pad_token_id (" + pad + ")");
        }
        Path vocabFile = dir.resolve(VOCABULARY);
        JsonElement unk = json(vocabFile).get("<unk>");
        if (unk == null) {
            throw new IllegalArgumentException(vocabFile + ": has no <unk> piece");
        }
        try {
            return new MarianIds(vocab, f.integer("eos_token_id", 0), unk.getAsInt(), pad);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds the model and loads model.safetensors into it.
     *
     * @param dir the checkpoint directory
     * @param manager the manager that owns the parameters
     * @return the loaded model
     * @throws IOException if a file cannot be read, or a tensor is missing, unknown or misshaped
     * @throws IllegalArgumentException if config.json is not a supported Marian configuration
     */
    public static Seq2SeqTransformer loadBlock(Path dir, NDManager manager) throws IOException {
        return loadBlock(dir, manager, Precision.FP32);
    }

    /**
     * Builds the model with matrix products in a precision and loads model.safetensors into it.
     *
     * @param dir the checkpoint directory
     * @param manager the manager that owns the parameters
     * @param precision the precision of the matrix products, already resolved for the device
     * @return the loaded model
     * @throws IOException if a file cannot be read, or a tensor is missing, unknown or misshaped
     * @throws IllegalArgumentException if config.json is not a supported Marian configuration
     */
    public static Seq2SeqTransformer loadBlock(Path dir, NDManager manager, Precision precision)
            throws IOException {
        Seq2SeqTransformer block =
                Seq2SeqTransformer.builder().setConfig(config(dir)).optPrecision(precision).build();
        MarianWeights.load(block, manager, dir.resolve(WEIGHTS), ids(dir));
        return block;
    }

    /**
     * Loads the source and target tokenizers (source.spm, target.spm, the shared vocab.json).
     *
     * @param dir the checkpoint directory
     * @return source and target tokenizers
     * @throws IOException if a file is missing or malformed
     */
    public static List<Seq2SeqTokenizer> tokenizers(Path dir) throws IOException {
        MarianIds ids = ids(dir);
        Path vocab = dir.resolve(VOCABULARY);
        return List.of(
                MarianTokenizer.load(dir.resolve(SOURCE_SPM), vocab, ids),
                MarianTokenizer.load(dir.resolve(TARGET_SPM), vocab, ids));
    }

    /**
     * Reads generation_config.json (or, without it, the generation keys of config.json): {@code
     * num_beams}, {@code max_length} (the decoder start included, as Hugging Face counts), {@code
     * length_penalty} ({@code len^α}), {@code early_stopping}, {@code renormalize_logits}, {@code
     * no_repeat_ngram_size} and {@code bad_words_ids} (only {@code [[pad]]}: PAD is never generated
     * anyway).
     *
     * @param dir the checkpoint directory
     * @return a builder holding these settings, to override further
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and field of an unsupported setting
     */
    public static DecodingOptions.Builder decodingOptions(Path dir) throws IOException {
        Path file = dir.resolve(GENERATION_CONFIG);
        if (!Files.isRegularFile(file)) {
            file = dir.resolve(CONFIG);
        }
        JsonObject g = json(file);
        Fields f = new Fields(file, g);
        int pad = ids(dir).toMarian(0);
        if (g.has("bad_words_ids") && !g.get("bad_words_ids").isJsonNull()) {
            for (JsonElement word : g.getAsJsonArray("bad_words_ids")) {
                JsonArray ids = word.getAsJsonArray();
                if (ids.size() != 1 || ids.get(0).getAsInt() != pad) {
                    throw f.bad("bad_words_ids", "bans " + word + "; only [[pad]] is supported");
                }
            }
        }
        JsonElement early = g.get("early_stopping");
        if (early != null && !early.isJsonNull() && !early.getAsJsonPrimitive().isBoolean()) {
            throw f.bad("early_stopping", "\"" + early.getAsString() + "\" is not supported");
        }
        int maxLength = f.integer("max_length", 20);
        if (maxLength < 2) {
            throw f.bad("max_length", "must be at least 2 (decoder start and END)");
        }
        try {
            return DecodingOptions.builder()
                    .optBeamSize(f.integer("num_beams", 1))
                    .optLengthPenalty((float) f.number("length_penalty", 1.0))
                    .optLengthNormalization(LengthNormalization.HUGGING_FACE)
                    .optEarlyStopping(f.bool("early_stopping", false))
                    .optRenormalize(f.bool("renormalize_logits", false))
                    .optNoRepeatNgramSize(f.integer("no_repeat_ngram_size", 0))
                    .optMaxLengthRatio(0f)
                    .optMaxLengthOffset(maxLength - 2);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the decoding options: the checkpoint's generation settings ({@link #decodingOptions})
     * overridden by the arguments.
     *
     * @param dir the checkpoint directory
     * @param arguments decoding arguments (see {@link Seq2SeqTranslatorFactory#options(Map)})
     * @return the options
     * @throws IOException if a file cannot be read
     */
    public static DecodingOptions options(Path dir, Map<String, ?> arguments) throws IOException {
        return Seq2SeqTranslatorFactory.options(decodingOptions(dir), arguments);
    }

    /**
     * Makes the translator: the checkpoint's tokenizers, and its generation settings overridden by
     * the arguments.
     *
     * @param dir the checkpoint directory
     * @param arguments decoding arguments (see {@link Seq2SeqTranslatorFactory#options(Map)})
     * @return the translator
     * @throws IOException if a file cannot be read
     */
    public static Seq2SeqTranslator translator(Path dir, Map<String, ?> arguments)
            throws IOException {
        List<Seq2SeqTokenizer> tokenizers = tokenizers(dir);
        return new Seq2SeqTranslator(tokenizers.get(0), tokenizers.get(1), options(dir, arguments));
    }

    private static JsonObject json(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Missing " + file);
        }
        try {
            return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(file + ": not a JSON object (" + e.getMessage() + ")", e);
        }
    }

    /** Typed reads of a JSON object's fields, with errors naming the file and the field. */
    private record Fields(Path file, JsonObject json) {

        IllegalArgumentException bad(String field, String problem) {
            return new IllegalArgumentException(file + ": " + field + " " + problem);
        }

        private JsonElement get(String field, Object fallback) {
            JsonElement e = json.get(field);
            if ((e == null || e.isJsonNull()) && fallback == null) {
                throw bad(field, "is missing");
            }
            return e == null || e.isJsonNull() ? null : e;
        }

        int integer(String field, Integer fallback) {
            JsonElement e = get(field, fallback);
            if (e == null) {
                return fallback;
            }
            try {
                double d = e.getAsDouble();
                if (d != Math.rint(d)) {
                    throw bad(field, "must be an integer, got " + e);
                }
                return (int) d;
            } catch (NumberFormatException
                    | UnsupportedOperationException
                    | IllegalStateException x) {
                throw bad(field, "must be an integer, got " + e);
            }
        }

        double number(String field, double fallback) {
            JsonElement e = get(field, fallback);
            try {
                return e == null ? fallback : e.getAsDouble();
            } catch (NumberFormatException
                    | UnsupportedOperationException
                    | IllegalStateException x) {
                throw bad(field, "must be a number, got " + e);
            }
        }

        boolean bool(String field, boolean fallback) {
            JsonElement e = get(field, fallback);
            if (e == null) {
                return fallback;
            }
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw bad(field, "must be true or false, got " + e);
            }
            return e.getAsBoolean();
        }

        String string(String field, String fallback) {
            JsonElement e = get(field, fallback);
            return e == null ? fallback : e.getAsString();
        }
    }
}
