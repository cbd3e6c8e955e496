package io.github.djlseq2seq.examples;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import io.github.djlseq2seq.inference.StreamingTranslation;
import io.github.djlseq2seq.inference.TranslationRequest;
import io.github.djlseq2seq.inference.TranslationResult;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Translates standard input to standard output, exactly one line out per line in, streaming: a
 * window of lines at a time, sorted by length into token-budget batches, written back in input
 * order.
 */
@Command(
        name = "translate",
        mixinStandardHelpOptions = true,
        description = {
            "Translate lines of standard input (UTF-8) with a trained model.",
            "Writes exactly one line per input line, in order; an empty line gives an empty line.",
            "Reads --window lines at a time, translates them in batches of similar length (at most"
                    + " --batch sentences and --max-tokens padded source tokens each) and writes"
                    + " them in input order, so memory stays bounded on inputs of any length.",
            "Shows a progress line with sentences/s on standard error when it is a terminal, and"
                    + " one summary line otherwise.",
            "--nbest K writes TSV line_no<TAB>rank<TAB>score<TAB>text instead (line_no from 1)."
        })
public final class TranslateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = DecodingFlags.MODEL_HELP)
    Path model;

    @Mixin DecodingFlags decoding = new DecodingFlags();

    @Mixin SteeringFlags steering = new SteeringFlags();

    @Option(
            names = "--window",
            description =
                    "lines read, sorted by length and held at a time (default: ${DEFAULT-VALUE})")
    int window = 10_000;

    @Option(
            names = "--max-tokens",
            description =
                    "padded source tokens per batch, sentences × (longest + 2) (default:"
                            + " ${DEFAULT-VALUE})")
    long maxTokens = 4096;

    @Option(
            names = "--progress",
            description =
                    "auto (a live line when standard error is a terminal, else a summary), live,"
                            + " summary or none (default: ${DEFAULT-VALUE})")
    TranslationProgress.Mode progress = TranslationProgress.Mode.auto;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (steering.isSet()) { // n-best, sampling or prefixes: the request translator
            PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
            Map<String, Object> arguments = steering.arguments(decoding.beam);
            try (ZooModel<TranslationRequest, TranslationResult> loaded =
                            decoding.load(
                                    model,
                                    TranslationRequest.class,
                                    TranslationResult.class,
                                    arguments);
                    BufferedReader in =
                            new BufferedReader(
                                    new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                steering.translate(loaded, in, out, decoding.batch);
            }
            out.flush();
            return 0;
        }
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        TranslationProgress shown = new TranslationProgress(progress, System.err);
        StreamingTranslation.Summary summary;
        try (ZooModel<String, String> loaded = decoding.load(model);
                Predictor<String, String> predictor = loaded.newPredictor();
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            summary =
                    StreamingTranslation.builder()
                            .setPredictor(predictor)
                            .optWindow(window)
                            .optMaxSentences(decoding.batch)
                            .optMaxTokens(maxTokens)
                            .optLength(length(loaded))
                            .optProgress(shown::update)
                            .build()
                            .translate(in, out);
        }
        shown.finish(summary);
        return 0;
    }

    /** Sentences are sorted and budgeted by their source tokens when the tokenizer is known. */
    private static ToIntFunction<String> length(ZooModel<String, String> model) {
        if (model.getTranslator() instanceof Seq2SeqTranslator t) {
            Seq2SeqTokenizer tokenizer = t.getSourceTokenizer();
            return s -> tokenizer.encode(s).length;
        }
        return String::length;
    }
}
