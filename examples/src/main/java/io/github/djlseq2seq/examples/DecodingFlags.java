package io.github.djlseq2seq.examples;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Returns the decoding options.
     *
     * @return the options
     */
    DecodingOptions options() {
        DecodingOptions.Builder b = DecodingOptions.builder();
        arguments().forEach((key, value) -> set(b, key, value));
        return b.build();
    }

    /** The Criteria arguments the given flags set; absent flags keep the model's settings. */
    private java.util.Map<String, Object> arguments() {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
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

    private static void set(DecodingOptions.Builder b, String key, Object value) {
        switch (key) {
            case "beamSize" -> b.optBeamSize((Integer) value);
            case "lengthPenalty" -> b.optLengthPenalty((Float) value);
            case "noRepeatNgramSize" -> b.optNoRepeatNgramSize((Integer) value);
            default -> b.optTruncateSource((Boolean) value);
        }
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
        options(); // validate before loading
        Criteria.Builder<String, String> criteria =
                Criteria.builder()
                        .setTypes(String.class, String.class)
                        .optModelPath(dir)
                        .optEngine("PyTorch")
                        .optTranslatorFactory(new DeferredTranslatorFactory());
        arguments().forEach(criteria::optArgument);
        return criteria.build().loadModel();
    }
}
