package io.github.djlseq2seq.examples;

import ai.djl.Device;
import ai.djl.Model;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.data.Tokenizers;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.zoo.ModelExporter;
import io.github.djlseq2seq.zoo.ParameterFiles;
import io.github.djlseq2seq.zoo.Seq2SeqArtifact;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Turns a training checkpoint into a model that DJL's {@code Criteria} loads: a directory, or a
 * {@code .zip} of the same files.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = {
            "Export a training checkpoint as a DJL model (directory or .zip) that Criteria loads;"
                    + " --format safetensors also lets PyTorch load it.",
            "Example: export --checkpoint runs/bible-en-es/checkpoints/best"
                    + " --config runs/bible-en-es/config.json"
                    + " --tokenizer runs/bible-en-es/tokenizer.json --out bible-en-es.zip"
        })
public final class ExportCommand implements Callable<Integer> {

    /** The parameter file of a checkpoint directory, as {@code Checkpoints} writes it. */
    static final String CHECKPOINT_PARAMETERS = "parameters.params";

    @Option(
            names = "--checkpoint",
            required = true,
            description = "checkpoint directory holding " + CHECKPOINT_PARAMETERS + ", or the file")
    Path checkpoint;

    @Option(
            names = "--config",
            required = true,
            description = "model configuration (the train command's OUT/config.json)")
    Path config;

    @Option(
            names = "--tokenizer",
            required = true,
            description = "shared tokenizer (the train command's OUT/tokenizer.json)")
    Path tokenizer;

    @Option(names = "--out", required = true, description = "directory, or FILE.zip, to write")
    Path out;

    @Option(
            names = "--artifact-id",
            description = "artifact id in model repositories (default: ${DEFAULT-VALUE})")
    String artifactId = ModelExporter.DEFAULT_ARTIFACT_ID;

    @Option(
            names = "--artifact-version",
            description = "artifact version (default: ${DEFAULT-VALUE})")
    String artifactVersion = ModelExporter.DEFAULT_VERSION;

    @Option(
            names = "--beam",
            description = "default beam size, 1 = greedy (default: ${DEFAULT-VALUE})")
    int beam = 4;

    @Option(
            names = "--length-penalty",
            description = "default length penalty alpha (default: ${DEFAULT-VALUE})")
    float lengthPenalty = 0.6f;

    @Option(
            names = "--no-repeat-ngram",
            description =
                    "default size of the n-grams that may not repeat, 0 = none (default:"
                            + " ${DEFAULT-VALUE})")
    int noRepeatNgram;

    @Option(
            names = "--format",
            description =
                    "parameter file: params (DJL's seq2seq-0000.params) or safetensors"
                            + " (model.safetensors, loadable in PyTorch by"
                            + " python/djl_seq2seq_torch.py) (default: ${DEFAULT-VALUE})")
    String format = "params";

    @Option(names = "--overwrite", description = "replace --out if it exists")
    boolean overwrite;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        Path parameters =
                Files.isDirectory(checkpoint)
                        ? checkpoint.resolve(CHECKPOINT_PARAMETERS)
                        : checkpoint;
        ModelExporter.Format parameterFormat = format(format);
        TransformerConfig modelConfig = TransformerConfig.load(config);
        Seq2SeqTokenizer tok = Tokenizers.load(tokenizer);
        DecodingOptions options =
                DecodingOptions.builder()
                        .optBeamSize(beam)
                        .optLengthPenalty(lengthPenalty)
                        .optNoRepeatNgramSize(noRepeatNgram)
                        .build();
        try (Model model = Model.newInstance(Seq2SeqArtifact.MODEL_NAME, Device.cpu())) {
            Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(modelConfig).build();
            model.setBlock(block);
            // checks the file against the configuration, naming it in any error
            ParameterFiles.loadBlockParameters(block, model.getNDManager(), parameters);
            ModelExporter.builder()
                    .setModel(model)
                    .setTokenizer(tok)
                    .optDecodingOptions(options)
                    .optArtifactId(artifactId)
                    .optVersion(artifactVersion)
                    .optOverwrite(overwrite)
                    .optFormat(parameterFormat)
                    .build()
                    .export(out);
        }
        System.out.printf(
                "exported %s (%s %s, %,d parameters)%n",
                out, artifactId, artifactVersion, modelConfig.parameterCount());
        System.out.println(
                "load it with Criteria.builder().setTypes(String.class, String.class)"
                        + ".optModelPath(Path.of(\""
                        + out
                        + "\")).optEngine(\"PyTorch\").build()");
        return 0;
    }

    /** The {@code --format} value as an exporter format. */
    static ModelExporter.Format format(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "params" -> ModelExporter.Format.PARAMS;
            case "safetensors" -> ModelExporter.Format.SAFETENSORS;
            default ->
                    throw new IllegalArgumentException(
                            "--format must be params or safetensors, got " + name);
        };
    }
}
