package io.github.djlseq2seq.examples;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import io.github.djlseq2seq.precision.Precision;
import io.github.djlseq2seq.zoo.MarianCheckpoint;
import io.github.djlseq2seq.zoo.SafetensorsModel;
import io.github.djlseq2seq.zoo.Seq2SeqArtifact;
import io.github.djlseq2seq.zoo.Seq2SeqBlockFactory;
import io.github.djlseq2seq.zoo.Seq2SeqTranslatorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Decoding options shared by the commands that translate, and loading a model with them. */
public class DecodingFlags {

    /** The subdirectory of a {@code train --out} directory that holds the exported model. */
    static final String TRAINED_MODEL = "model";

    /** The help text of {@code --model}. */
    static final String MODEL_HELP =
            "an exported model (directory or .zip), the --out directory of a train run, or a"
                    + " directory holding model.safetensors, config.json and tokenizer.json, or a"
                    + " Hugging Face MarianMT (OPUS-MT) directory";

    @Option(names = "--beam", description = "beam size, 1 = greedy (default: the model's setting)")
    Integer beam;

    @Option(
            names = "--alpha",
            description =
                    "length penalty α: GNMT's, or Hugging Face's length_penalty for a Marian model"
                            + " (default: the model's setting)")
    Float alpha;

    @Option(
            names = "--no-repeat-ngram",
            description =
                    "ban repeated n-grams of this size, 0 = none (default: the model's setting)")
    Integer noRepeatNgram;

    @Option(
            names = "--truncate-source",
            description =
                    "cut sources longer than the model accepts instead of refusing them (default:"
                            + " the model's setting)")
    Boolean truncateSource;

    @Option(
            names = "--batch",
            description = "sentences decoded together (default: ${DEFAULT-VALUE})")
    int batch = 32;

    @Option(
            names = "--precision",
            converter = PrecisionConverter.class,
            description = PrecisionConverter.HELP + " (default: fp32)")
    Precision precision;

    /**
     * Returns the Criteria arguments the given flags set; absent flags keep the model's settings.
     *
     * @return the arguments, by name (e.g. {@code beamSize})
     */
    public Map<String, Object> arguments() {
        Map<String, Object> map = new LinkedHashMap<>();
        if (beam != null) {
            map.put("beamSize", beam);
        }
        if (alpha != null) {
            map.put("lengthPenalty", alpha);
        }
        if (noRepeatNgram != null) {
            map.put("noRepeatNgramSize", noRepeatNgram);
        }
        if (truncateSource != null) {
            map.put("truncateSource", truncateSource);
        }
        if (precision != null) {
            map.put(Seq2SeqBlockFactory.PRECISION, precision.displayName());
        }
        return map;
    }

    /**
     * Returns the number of sentences decoded together ({@code --batch}).
     *
     * @return the batch size
     */
    public int batchSize() {
        return batch;
    }

    /**
     * Describes the decoding options a loaded model's translator uses.
     *
     * @param model the loaded model
     * @return the options, in words
     */
    static String used(ZooModel<String, String> model) {
        return model.getTranslator() instanceof Seq2SeqTranslator t
                ? t.getOptions().toString()
                : "translator " + model.getTranslator().getClass().getName();
    }

    /**
     * Loads a model through DJL's Criteria, with these options.
     *
     * @param path an exported model (directory or zip), or a {@code train --out} directory
     * @return the model, with its String → String translator
     * @throws Exception if the model cannot be loaded
     */
    ZooModel<String, String> load(Path path) throws Exception {
        return load(path, String.class, String.class, Map.of());
    }

    /**
     * Loads a model through DJL's Criteria, with these options and more arguments.
     *
     * @param path an exported model (directory or zip), a {@code train --out} directory, or a
     *     Hugging Face MarianMT directory
     * @param input the translator's input type
     * @param output the translator's output type
     * @param more further Criteria arguments (e.g. {@code nBest}, {@code sample})
     * @param <I> the input type
     * @param <O> the output type
     * @return the model, with its translator
     * @throws Exception if the model cannot be loaded
     */
    <I, O> ZooModel<I, O> load(Path path, Class<I> input, Class<O> output, Map<String, Object> more)
            throws Exception {
        Map<String, Object> arguments = arguments();
        arguments.putAll(more);
        if (Files.isDirectory(path) && MarianCheckpoint.isMarian(path)) { // before safetensors
            return MarianCheckpoint.criteria(path, input, output, arguments).loadModel();
        }
        Path model = exportedModel(path);
        // the translator factory reads these; check them before loading the model
        Seq2SeqTranslatorFactory.options(arguments);
        Criteria.Builder<I, O> criteria =
                SafetensorsModel.isModelDirectory(model)
                        ? SafetensorsModel.criteria(model, input, output) // e.g. saved in PyTorch
                        : Criteria.builder()
                                .setTypes(input, output)
                                .optModelPath(model)
                                .optEngine("PyTorch")
                                .optTranslatorFactory(new DeferredTranslatorFactory());
        arguments.forEach(criteria::optArgument);
        return criteria.build().loadModel();
    }

    /**
     * Finds the exported model that {@code --model} names: the path itself when it is a zip, a
     * directory holding {@code serving.properties} or a safetensors model directory ({@link
     * SafetensorsModel#isModelDirectory}), or the {@code model/} subdirectory of a directory
     * written by {@code train --out}.
     *
     * @param path the {@code --model} value
     * @return the exported model
     * @throws IllegalArgumentException if there is none; the message says what is missing
     */
    public static Path exportedModel(Path path) {
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("model " + path + " does not exist");
        }
        if (Files.isRegularFile(path.resolve(Seq2SeqArtifact.SERVING_PROPERTIES))
                || SafetensorsModel.isModelDirectory(path)) {
            return path;
        }
        Path exported = path.resolve(TRAINED_MODEL);
        if (Files.isRegularFile(exported.resolve(Seq2SeqArtifact.SERVING_PROPERTIES))) {
            return exported;
        }
        throw new IllegalArgumentException(
                path
                        + " is not a model: it holds no "
                        + Seq2SeqArtifact.SERVING_PROPERTIES
                        + (Files.isDirectory(exported)
                                ? ", and neither does " + exported
                                : ", and no " + TRAINED_MODEL + "/ directory")
                        + ". Give an exported model (a directory or zip written by export), or the"
                        + " --out directory of a train run that finished (its model/ is written"
                        + " at the end; a run's checkpoints/ can be exported with export"
                        + " --checkpoint)");
    }
}
