package io.github.djlseq2seq.examples;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlseq2seq.inference.TranslationRequest;
import io.github.djlseq2seq.inference.TranslationResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Translates standard input to standard output, exactly one line out per line in. */
@Command(
        name = "translate",
        mixinStandardHelpOptions = true,
        description = {
            "Translate lines of standard input (UTF-8) with a trained model.",
            "Writes exactly one line per input line, in order; an empty line gives an empty line.",
            "--nbest K writes TSV line_no<TAB>rank<TAB>score<TAB>text instead (line_no from 1)."
        })
public final class TranslateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = DecodingFlags.MODEL_HELP)
    Path model;

    @Mixin DecodingFlags decoding = new DecodingFlags();

    @Mixin SteeringFlags steering = new SteeringFlags();

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        if (steering.isSet()) { // n-best, sampling or prefixes: the request translator
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
        try (ZooModel<String, String> loaded = decoding.load(model);
                Predictor<String, String> predictor = loaded.newPredictor();
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            List<String> batch = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) {
                batch.add(line);
                if (batch.size() == decoding.batch) {
                    flush(predictor, batch, out);
                }
            }
            flush(predictor, batch, out);
        }
        out.flush();
        return 0;
    }

    private static void flush(
            Predictor<String, String> predictor, List<String> batch, PrintStream out)
            throws Exception {
        if (batch.isEmpty()) {
            return;
        }
        for (String translation : predictor.batchPredict(batch)) {
            // a translation never spans lines: one line out per line in
            out.println(translation.replace('\n', ' ').replace('\r', ' '));
        }
        out.flush();
        batch.clear();
    }
}
