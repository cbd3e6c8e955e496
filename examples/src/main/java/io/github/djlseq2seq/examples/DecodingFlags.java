package io.github.djlseq2seq.examples;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import io.github.djlseq2seq.zoo.Seq2SeqTranslatorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Decoding options shared by the commands that translate, and loading a model with them. */
public class DecodingFlags {

    @Option(names = "--beam", description = "beam size, 1 = greedy (default: the model's setting)")
    Integer beam;

    @Option(names = "--alpha", description = "GNMT length penalty α (default: the model's setting)")
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

    /** The Criteria arguments the given flags set; absent flags keep the model's settings. */
    private Map<String, Object> arguments() {
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
        return map;
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
     * Loads an exported model directory through DJL's Criteria, with these options.
     *
     * @param dir the model directory written by {@code train} or {@code export}
     * @return the model, with its String → String translator
     * @throws Exception if the model cannot be loaded
     */
    ZooModel<String, String> load(Path dir) throws Exception {
        if (!Files.isDirectory(dir) && !Files.isRegularFile(dir)) {
            throw new IllegalArgumentException("model " + dir + " does not exist");
        }
        Map<String, Object> arguments = arguments();
        // the translator factory reads these; check them before loading the model
        Seq2SeqTranslatorFactory.options(arguments);
        Criteria.Builder<String, String> criteria =
                Criteria.builder()
                        .setTypes(String.class, String.class)
                        .optModelPath(dir)
                        .optEngine("PyTorch")
                        .optTranslatorFactory(new DeferredTranslatorFactory());
        arguments.forEach(criteria::optArgument);
        return criteria.build().loadModel();
    }
}
