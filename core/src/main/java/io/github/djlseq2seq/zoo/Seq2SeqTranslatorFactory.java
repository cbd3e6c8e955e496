package io.github.djlseq2seq.zoo;

import ai.djl.Model;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.data.Tokenizers;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.inference.Seq2SeqRequestTranslator;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import io.github.djlseq2seq.inference.ServingTranslator;
import io.github.djlseq2seq.inference.TranslationRequest;
import io.github.djlseq2seq.inference.TranslationResult;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Creates the {@link Seq2SeqTranslator} of an exported model: reads its tokenizer(s), checks them
 * against the model's vocabulary sizes, and takes decoding options from the Criteria arguments or
 * {@code serving.properties} ({@code beamSize}, {@code lengthPenalty}, {@code maxLengthRatio},
 * {@code maxLengthOffset}, {@code noRepeatNgramSize}, {@code truncateSource}, {@code nBest}, {@code
 * sample}, {@code temperature}, {@code topK}, {@code topP}, {@code seed}). Here {@code beamSize} is
 * the model's default: an {@code nBest} above it raises the beam to {@code nBest}.
 *
 * <p>Types: {@code String → String} ({@link Seq2SeqTranslator}) and {@code TranslationRequest →
 * TranslationResult} ({@link Seq2SeqRequestTranslator}: per-call options, target prefixes, n-best
 * lists with scores).
 *
 * <p>DJL picks the translator factory before it reads {@code serving.properties}, from the Criteria
 * and the artifact's arguments only. {@link Seq2SeqRepositoryFactory} supplies that argument for an
 * exported directory or zip, so {@code Criteria.builder().setTypes(String.class,
 * String.class).optModelPath(dirOrZip)} finds this factory unaided. Without it (another {@code
 * file:} handler registered), name the factory with {@code .optTranslatorFactory(new
 * DeferredTranslatorFactory())}, which reads it from {@code serving.properties}, or with the URL
 * argument {@code ?translatorFactory=io.github.djlseq2seq.zoo.Seq2SeqTranslatorFactory}.
 *
 * <p>For {@code (Input, Output)}, the types DJL Serving asks for, it creates a {@link
 * ServingTranslator}: JSON requests {@code {"inputs": …, "parameters": {…}}} in, JSON translations
 * out, at most {@code maxInputs} sentences a request (the argument, default {@value
 * #DEFAULT_MAX_INPUTS}).
 */
public class Seq2SeqTranslatorFactory implements TranslatorFactory {

    /** The most sentences a JSON request may hold unless the argument {@code maxInputs} says. */
    public static final int DEFAULT_MAX_INPUTS = 64;

    /** {@inheritDoc} */
    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(
                new Pair<>(String.class, String.class),
                new Pair<>(TranslationRequest.class, TranslationResult.class),
                new Pair<>(Input.class, Output.class));
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments) {
        Path dir = model.getModelPath();
        TransformerConfig config = ((Seq2SeqTransformer) model.getBlock()).getConfig();
        return translator(
                input,
                output,
                tokenizers(dir, config),
                arguments,
                Seq2SeqTranslatorFactory::options);
    }

    /**
     * Makes the translator of one of the supported types.
     *
     * @param input the input type
     * @param output the output type
     * @param tokenizers the source and the target tokenizer
     * @param arguments the Criteria arguments
     * @param options reads decoding options from arguments (the model's own settings beneath)
     * @param <I> the input type
     * @param <O> the output type
     * @return the translator
     * @throws IllegalArgumentException naming the types if they are not supported, or a bad
     *     argument
     */
    @SuppressWarnings("unchecked")
    static <I, O> Translator<I, O> translator(
            Class<I> input,
            Class<O> output,
            List<Seq2SeqTokenizer> tokenizers,
            Map<String, ?> arguments,
            Function<Map<String, ?>, DecodingOptions> options) {
        boolean text = input == String.class && output == String.class;
        boolean requests = input == TranslationRequest.class && output == TranslationResult.class;
        boolean json = input == Input.class && output == Output.class;
        if (!text && !requests && !json) {
            throw new IllegalArgumentException(
                    "djl-seq2seq models translate String to String, TranslationRequest to"
                            + " TranslationResult or Input to Output (JSON), not "
                            + input
                            + " to "
                            + output);
        }
        if (requests) {
            return (Translator<I, O>)
                    new Seq2SeqRequestTranslator(
                            tokenizers.get(0), tokenizers.get(1), options.apply(arguments));
        }
        if (json) {
            Object maxInputs = arguments.get("maxInputs");
            return (Translator<I, O>)
                    new ServingTranslator(
                            tokenizers.get(0),
                            tokenizers.get(1),
                            arguments,
                            options,
                            maxInputs == null
                                    ? DEFAULT_MAX_INPUTS
                                    : Integer.parseInt(maxInputs.toString()));
        }
        return (Translator<I, O>)
                new Seq2SeqTranslator(
                        tokenizers.get(0), tokenizers.get(1), options.apply(arguments));
    }

    /**
     * Loads the tokenizers of an exported model, the shared one or the source and target ones, and
     * checks their sizes against the configuration.
     *
     * @param dir the model directory
     * @param config the model configuration
     * @return the source and the target tokenizer (the same object when shared)
     * @throws UncheckedIOException if a file is missing or unreadable (the message names it)
     * @throws IllegalArgumentException if a size does not match the model
     */
    static List<Seq2SeqTokenizer> tokenizers(Path dir, TransformerConfig config) {
        Path shared = dir.resolve(Seq2SeqArtifact.TOKENIZER);
        if (Files.exists(shared)) {
            Seq2SeqTokenizer tokenizer = tokenizer(shared, "source", config.sourceVocabSize());
            checkSize(shared, tokenizer, "target", config.targetVocabSize());
            return List.of(tokenizer, tokenizer);
        }
        return List.of(
                tokenizer(
                        dir.resolve(Seq2SeqArtifact.SOURCE_TOKENIZER),
                        "source",
                        config.sourceVocabSize()),
                tokenizer(
                        dir.resolve(Seq2SeqArtifact.TARGET_TOKENIZER),
                        "target",
                        config.targetVocabSize()));
    }

    /**
     * Loads a tokenizer of an exported model and checks its size against the configuration.
     *
     * @param file the tokenizer file
     * @param side "source" or "target"
     * @param vocabSize the model's vocabulary size on that side
     * @return the tokenizer
     * @throws UncheckedIOException if it is missing or unreadable (the message names the file)
     * @throws IllegalArgumentException if its size does not match the model
     */
    private static Seq2SeqTokenizer tokenizer(Path file, String side, int vocabSize) {
        Seq2SeqTokenizer tokenizer;
        try {
            tokenizer = Tokenizers.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read tokenizer " + file + ": " + e, e);
        }
        checkSize(file, tokenizer, side, vocabSize);
        return tokenizer;
    }

    private static void checkSize(
            Path file, Seq2SeqTokenizer tokenizer, String side, int vocabSize) {
        if (tokenizer.size() != vocabSize) {
            throw new IllegalArgumentException(
                    file
                            + ": the tokenizer has "
                            + tokenizer.size()
                            + " tokens but the model's "
                            + side
                            + "VocabSize ("
                            + Seq2SeqArtifact.CONFIG
                            + ") is "
                            + vocabSize);
        }
    }

    /**
     * Reads decoding options from Criteria arguments.
     *
     * @param arguments the arguments (values may be strings or numbers)
     * @return the options
     */
    public static DecodingOptions options(Map<String, ?> arguments) {
        return options(DecodingOptions.builder(), arguments);
    }

    /**
     * Applies the decoding arguments a caller gave (see {@link #options(Map)}) over a builder that
     * holds a model's own settings, such as a Marian checkpoint's generation_config.json.
     *
     * @param b the builder holding the model's settings; changed
     * @param arguments the criteria arguments
     * @return the options
     * @throws IllegalArgumentException if a value is malformed or out of range
     */
    public static DecodingOptions options(DecodingOptions.Builder b, Map<String, ?> arguments) {
        int nBest = 1;
        if (arguments.containsKey("nBest")) {
            nBest = Integer.parseInt(arguments.get("nBest").toString());
            b.optNBest(nBest);
        }
        if (arguments.containsKey("beamSize")) { // the model's default, raised to nBest
            b.optBeamSize(Math.max(nBest, Integer.parseInt(arguments.get("beamSize").toString())));
        }
        if (arguments.containsKey("lengthPenalty")) {
            b.optLengthPenalty(Float.parseFloat(arguments.get("lengthPenalty").toString()));
        }
        if (arguments.containsKey("maxLengthRatio")) {
            b.optMaxLengthRatio(Float.parseFloat(arguments.get("maxLengthRatio").toString()));
        }
        if (arguments.containsKey("maxLengthOffset")) {
            b.optMaxLengthOffset(Integer.parseInt(arguments.get("maxLengthOffset").toString()));
        }
        if (arguments.containsKey("truncateSource")) {
            b.optTruncateSource(Boolean.parseBoolean(arguments.get("truncateSource").toString()));
        }
        if (arguments.containsKey("noRepeatNgramSize")) {
            b.optNoRepeatNgramSize(Integer.parseInt(arguments.get("noRepeatNgramSize").toString()));
        }
        samplingOptions(b, arguments);
        return b.build();
    }

    /** Reads the sampling arguments ({@code sample}, {@code temperature}, {@code topK}, …). */
    private static void samplingOptions(DecodingOptions.Builder b, Map<String, ?> arguments) {
        if (arguments.containsKey("sample")) {
            b.optSample(Boolean.parseBoolean(arguments.get("sample").toString()));
        }
        if (arguments.containsKey("temperature")) {
            b.optTemperature(Float.parseFloat(arguments.get("temperature").toString()));
        }
        if (arguments.containsKey("topK")) {
            b.optTopK(Integer.parseInt(arguments.get("topK").toString()));
        }
        if (arguments.containsKey("topP")) {
            b.optTopP(Float.parseFloat(arguments.get("topP").toString()));
        }
        if (arguments.containsKey("seed")) {
            b.optSeed(Long.parseLong(arguments.get("seed").toString()));
        }
    }
}
