package io.github.djlseq2seq.examples;

import io.github.djlseq2seq.model.NormPlacement;
import io.github.djlseq2seq.model.TransformerConfig;
import java.util.function.Predicate;
import picocli.CommandLine.Option;

/** Model-size options shared by the training commands. */
public class ModelOptions {

    @Option(names = "--d-model", description = "model width d (default: ${DEFAULT-VALUE})")
    int modelDim = 256;

    @Option(names = "--heads", description = "attention heads (default: ${DEFAULT-VALUE})")
    int heads = 4;

    @Option(
            names = "--layers",
            description = "encoder and decoder layers each (default: ${DEFAULT-VALUE})")
    int layers = 3;

    @Option(names = "--ff", description = "feed-forward width (default: ${DEFAULT-VALUE})")
    int feedForward = 1024;

    @Option(names = "--dropout", description = "dropout rate (default: ${DEFAULT-VALUE})")
    float dropout = 0.1f;

    @Option(
            names = "--norm",
            description = "LayerNorm placement, POST or PRE (default: ${DEFAULT-VALUE})")
    NormPlacement norm = NormPlacement.POST;

    @Option(
            names = "--max-length",
            description =
                    "longest sequence in tokens, START and END included (default: ${DEFAULT-VALUE})")
    int maxLength = 256;

    /**
     * The defaults of the {@code train} command, chosen for a 10-minute, 2-core budget (see the
     * README's study): pre-norm, which trains stably at a high learning rate, and no dropout, which
     * in one or two epochs only slows learning (and costs a fifth of the step time).
     *
     * @return the options with those defaults
     */
    static ModelOptions forShortTraining() {
        ModelOptions options = new ModelOptions();
        options.norm = NormPlacement.PRE;
        options.dropout = 0f;
        return options;
    }

    /**
     * Builds the model configuration for the given vocabularies.
     *
     * @param sourceVocab the source vocabulary size
     * @param targetVocab the target vocabulary size
     * @param shared whether source and target share one vocabulary (then embeddings are shared and
     *     the output projection tied)
     * @return the configuration
     */
    TransformerConfig config(int sourceVocab, int targetVocab, boolean shared) {
        TransformerConfig.Builder builder =
                TransformerConfig.builder()
                        .setSourceVocabSize(sourceVocab)
                        .setTargetVocabSize(targetVocab)
                        .optShareEmbeddings(shared)
                        .optTieOutputEmbedding(shared);
        configure(builder);
        return builder.build();
    }

    /**
     * Sets the model size on a configuration builder (everything but the vocabularies).
     *
     * @param builder the builder
     */
    void configure(TransformerConfig.Builder builder) {
        configure(builder, flag -> true);
    }

    /**
     * Sets the model size of some flags on a configuration builder, e.g. only the flags given on
     * the command line of a resumed run.
     *
     * @param builder the builder
     * @param set whether to set the value of a flag, by name (e.g. {@code --d-model})
     */
    void configure(TransformerConfig.Builder builder, Predicate<String> set) {
        if (set.test("--d-model")) {
            builder.optModelDim(modelDim);
        }
        if (set.test("--heads")) {
            builder.optNumHeads(heads);
        }
        if (set.test("--layers")) {
            builder.optEncoderLayers(layers).optDecoderLayers(layers);
        }
        if (set.test("--ff")) {
            builder.optFeedForwardDim(feedForward);
        }
        if (set.test("--dropout")) {
            builder.optDropout(dropout);
        }
        if (set.test("--norm")) {
            builder.optNormPlacement(norm);
        }
        if (set.test("--max-length")) {
            builder.optMaxLength(maxLength);
        }
    }
}
