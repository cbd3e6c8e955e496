package io.github.djlseq2seq.examples;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlseq2seq.inference.TranslationRequest;
import io.github.djlseq2seq.inference.TranslationResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The decoding a user steers from {@code translate}: n-best lists with scores, sampling and forced
 * target prefixes, through the model's {@code TranslationRequest → TranslationResult} translator.
 *
 * <p>With {@code --nbest K} the output is TSV, {@code line_no<TAB>rank<TAB>score<TAB>text}: the
 * input line number counted from 1, the rank from 1 to K, and the score by which the list is
 * ranked, the model's log-probability of the translation and END divided by the GNMT length penalty
 * (the plain log-probability with {@code --alpha 0}); a blank input line gives no rows. Without it,
 * one translation per input line, as plain {@code translate}.
 */
public class SteeringFlags {

    @Option(
            names = "--nbest",
            description =
                    "write the K best translations per line as TSV line_no<TAB>rank<TAB>score<TAB>"
                            + "text (line_no from 1; score: log-probability / length penalty);"
                            + " the beam grows to K unless --beam is given")
    Integer nBest;

    @Option(
            names = "--sample",
            description = "sample each next token instead of beam search (seeded, reproducible)")
    boolean sample;

    @Option(
            names = "--temperature",
            description = "sampling temperature T ≥ 0, 0 = greedy (default: 1)")
    Float temperature;

    @Option(
            names = "--top-k",
            description = "sample from the k most probable tokens (default: all)")
    Integer topK;

    @Option(
            names = "--top-p",
            description =
                    "sample from the smallest nucleus of probability p, 0 < p ≤ 1 (default: 1)")
    Float topP;

    @Option(names = "--seed", description = "sampling seed (default: 0)")
    Long seed;

    @Option(
            names = "--prefix",
            description = "target text every translation starts with (its tokens are forced)")
    String prefix;

    @Option(
            names = "--prefix-file",
            description = "one target prefix per input line (UTF-8; an empty line: none)")
    Path prefixFile;

    /**
     * Returns whether any steering flag is given.
     *
     * @return true if translate must take the request path
     */
    boolean isSet() {
        return nBest != null || sample || prefix != null || prefixFile != null || hasSampling();
    }

    private boolean hasSampling() {
        return temperature != null || topK != null || topP != null || seed != null;
    }

    /**
     * Checks the flags together and gives the Criteria arguments they set.
     *
     * @param beam the {@code --beam} value, or null
     * @return the arguments
     * @throws IllegalArgumentException naming the flag at fault
     */
    Map<String, Object> arguments(Integer beam) {
        if (hasSampling() && !sample) {
            throw new IllegalArgumentException(
                    "--temperature, --top-k, --top-p and --seed need --sample");
        }
        if (prefix != null && prefixFile != null) {
            throw new IllegalArgumentException("give --prefix or --prefix-file, not both");
        }
        if (nBest != null && nBest < 1) {
            throw new IllegalArgumentException("--nbest must be at least 1, got " + nBest);
        }
        if (nBest != null && beam != null && !sample && nBest > beam) {
            throw new IllegalArgumentException(
                    "--nbest " + nBest + " exceeds --beam " + beam + ": raise --beam");
        }
        if (topP != null && !(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("--top-p must be in (0, 1], got " + topP);
        }
        if (temperature != null && !(temperature >= 0 && Float.isFinite(temperature))) {
            throw new IllegalArgumentException(
                    "--temperature must be at least 0, got " + temperature);
        }
        if (topK != null && topK < 0) {
            throw new IllegalArgumentException("--top-k must be at least 0, got " + topK);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        put(map, "nBest", nBest);
        if (sample) {
            map.put("sample", true);
        }
        put(map, "temperature", temperature);
        put(map, "topK", topK);
        put(map, "topP", topP);
        put(map, "seed", seed);
        return map;
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    /**
     * Translates the input lines with these flags and writes the translations or the n-best TSV.
     *
     * @param model the model, loaded with {@link #arguments}
     * @param in the input lines
     * @param out where the output goes
     * @param batch the lines decoded together
     * @throws Exception if the prefix file cannot be read or a batch fails
     */
    void translate(
            ZooModel<TranslationRequest, TranslationResult> model,
            BufferedReader in,
            PrintStream out,
            int batch)
            throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
        }
        List<String> prefixes = prefixes(lines.size());
        try (Predictor<TranslationRequest, TranslationResult> predictor = model.newPredictor()) {
            for (int from = 0; from < lines.size(); from += batch) {
                int to = Math.min(lines.size(), from + batch);
                List<TranslationRequest> requests = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    requests.add(new TranslationRequest(lines.get(i), prefixes.get(i), null));
                }
                List<TranslationResult> results = predictor.batchPredict(requests);
                for (int i = from; i < to; i++) {
                    write(out, i + 1, results.get(i - from));
                }
                out.flush();
            }
        }
    }

    /** One prefix (or null) per input line. */
    private List<String> prefixes(int lines) throws IOException {
        if (prefixFile == null) {
            return Collections.nCopies(lines, prefix);
        }
        List<String> list = Files.readAllLines(prefixFile, StandardCharsets.UTF_8);
        if (list.size() != lines) {
            throw new IllegalArgumentException(
                    "--prefix-file "
                            + prefixFile
                            + " has "
                            + list.size()
                            + " lines but the input has "
                            + lines
                            + "; give one prefix per input line (an empty line for none)");
        }
        return list;
    }

    private void write(PrintStream out, int lineNo, TranslationResult result) {
        if (nBest == null) {
            out.println(oneLine(result.getText()));
            return;
        }
        List<TranslationResult.Candidate> candidates = result.getCandidates();
        for (int rank = 1; rank <= candidates.size(); rank++) {
            TranslationResult.Candidate c = candidates.get(rank - 1);
            out.printf(
                    Locale.ROOT,
                    "%d\t%d\t%.6f\t%s%n",
                    lineNo,
                    rank,
                    c.normalizedScore(),
                    oneLine(c.text()).replace('\t', ' '));
        }
    }

    /** A translation never spans lines: one line out per line in. */
    static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
