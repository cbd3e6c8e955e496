package io.github.djlseq2seq.examples;

import ai.djl.Device;
import ai.djl.Model;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.data.Tokenizers;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.train.CheckpointAveraging;
import io.github.djlseq2seq.train.RunRecord;
import io.github.djlseq2seq.zoo.ModelExporter;
import io.github.djlseq2seq.zoo.Seq2SeqArtifact;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Averages the parameters of a run's checkpoints (fairseq's {@code average_checkpoints.py}) and
 * exports the mean as a DJL model, with the run's tokenizer, configuration and decoding options.
 */
@Command(
        name = "average",
        mixinStandardHelpOptions = true,
        description = {
            "Average the parameters of a train run's last K checkpoints (or the ones named) and"
                    + " export the mean as a DJL model (directory or .zip).",
            "Example: average --run runs/bible-en-es --last 2 --out bible-en-es-avg"
        })
public final class AverageCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--run",
            required = true,
            description =
                    "the train run's --out directory (config.json, tokenizer.json, training.json,"
                            + " checkpoints/)")
    Path run;

    @Option(names = "--last", description = "average the run's last K step checkpoints")
    Integer last;

    @Option(
            names = "--checkpoint",
            description = "a checkpoint directory (or parameter file) to average; repeatable")
    List<Path> checkpoints;

    @Option(names = "--out", required = true, description = "directory, or FILE.zip, to write")
    Path out;

    @Option(names = "--overwrite", description = "replace --out if it exists")
    boolean overwrite;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if ((last == null) == (checkpoints == null || checkpoints.isEmpty())) {
            throw new ParameterException(
                    spec.commandLine(), "give either --last K or one or more --checkpoint");
        }
        List<Path> chosen =
                last != null
                        ? CheckpointAveraging.lastCheckpoints(run.resolve("checkpoints"), last)
                        : checkpoints;
        TransformerConfig config = TransformerConfig.load(run.resolve("config.json"));
        Seq2SeqTokenizer tokenizer = Tokenizers.load(run.resolve("tokenizer.json"));
        DecodingOptions decoding =
                RunRecord.read(run)
                        .map(RunRecord::decoding)
                        .orElseGet(() -> DecodingOptions.builder().build());
        try (Model model = Model.newInstance(Seq2SeqArtifact.MODEL_NAME, Device.cpu())) {
            model.setBlock(Seq2SeqTransformer.builder().setConfig(config).build());
            CheckpointAveraging.average(model, chosen);
            ModelExporter.builder()
                    .setModel(model)
                    .setTokenizer(tokenizer)
                    .optDecodingOptions(decoding)
                    .optOverwrite(overwrite)
                    .build()
                    .export(out);
        }
        System.out.printf("averaged %d checkpoints into %s:%n", chosen.size(), out);
        chosen.forEach(c -> System.out.println("  " + c));
        return 0;
    }
}
