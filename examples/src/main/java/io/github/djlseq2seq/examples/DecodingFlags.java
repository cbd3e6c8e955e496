package io.github.djlseq2seq.examples;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;
import io.github.djlseq2seq.inference.DecodingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Decoding options shared by the commands that translate, and loading a model with them. */
public class DecodingFlags {

    @Option(names = "--beam", description = "beam size, 1 = greedy (default: ${DEFAULT-VALUE})")
    int beam = 1;

    @Option(names = "--alpha", description = "GNMT length penalty α (default: ${DEFAULT-VALUE})")
    float alpha = 0.6f;

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
        return DecodingOptions.builder().optBeamSize(beam).optLengthPenalty(alpha).build();
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
        return Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(dir)
                .optEngine("PyTorch")
                .optTranslatorFactory(new DeferredTranslatorFactory())
                .optArgument("beamSize", beam)
                .optArgument("lengthPenalty", alpha)
                .build()
                .loadModel();
    }
}
