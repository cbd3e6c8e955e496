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
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import io.github.djlseq2seq.inference.ServingTranslator;
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

/**
 * Creates the {@link Seq2SeqTranslator} of an exported model: reads its tokenizer(s), checks them
 * against the model's vocabulary sizes, and takes decoding options from the Criteria arguments or
 * {@code serving.properties} ({@code beamSize}, {@code lengthPenalty}, {@code maxLengthRatio},
 * {@code maxLengthOffset}, {@code noRepeatNgramSize}, {@code truncateSource}).
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
                new Pair<>(String.class, String.class), new Pair<>(Input.class, Output.class));
    }

    /** {@inheritDoc} */
    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments) {
        boolean text = input == String.class && output == String.class;
        if (!text && (input != Input.class || output != Output.class)) {
            throw new IllegalArgumentException(
                    "djl-seq2seq models translate String to String or Input to Output (JSON), not "
                            + input
                            + " to "
                            + output);
        }
        Path dir = model.getModelPath();
        TransformerConfig config = ((Seq2SeqTransformer) model.getBlock()).getConfig();
        List<Seq2SeqTokenizer> tokenizers = tokenizers(dir, config);
        if (!text) {
            Object maxInputs = arguments.get("maxInputs");
            return (Translator<I, O>)
                    new ServingTranslator(
                            tokenizers.get(0),
                            tokenizers.get(1),
                            arguments,
                            Seq2SeqTranslatorFactory::options,
                            maxInputs == null
                                    ? DEFAULT_MAX_INPUTS
                                    : Integer.parseInt(maxInputs.toString()));
        }
        return (Translator<I, O>)
                new Seq2SeqTranslator(tokenizers.get(0), tokenizers.get(1), options(arguments));
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
        DecodingOptions.Builder b = DecodingOptions.builder();
        if (arguments.containsKey("beamSize")) {
            b.optBeamSize(Integer.parseInt(arguments.get("beamSize").toString()));
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
        return b.build();
    }
}
