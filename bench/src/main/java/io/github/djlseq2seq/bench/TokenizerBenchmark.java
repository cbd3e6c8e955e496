package io.github.djlseq2seq.bench;

import io.github.djlseq2seq.data.*;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Times the BPE tokenizer on the bundled Bible train split: training a shared vocabulary on both
 * sides, then encoding every line of both sides, and prints the figures.
 *
 * <p>Run with {@code mvn -q -B compile exec:java
 * -Dexec.mainClass=io.github.djlseq2seq.data.TokenizerBenchmark}; optional arguments: the
 * vocabulary size (default 8000) and a tokenizer.json to write.
 */
public final class TokenizerBenchmark {

    private static final String TRAIN = "/io/github/djlseq2seq/data/bible-en-es/train.tsv.gz";

    private TokenizerBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args optional: vocabulary size, then a tokenizer.json path to save to
     * @throws IOException if the corpus cannot be read or the file written
     */
    public static void main(String[] args) throws IOException {
        int vocabSize = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
        List<String> texts = readBothSides();
        System.out.printf(
                Locale.ROOT,
                "corpus: %d texts (both sides of %d pairs), %d available processors%n",
                texts.size(),
                texts.size() / 2,
                Runtime.getRuntime().availableProcessors());

        BpeTrainingConfig config = BpeTrainingConfig.builder().optVocabSize(vocabSize).build();
        BpeTokenizer tokenizer = null;
        for (int run = 1; run <= 2; run++) {
            long start = System.nanoTime();
            tokenizer = BpeTokenizer.train(texts, config);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "train run %d: %.2f s, vocabulary %d, merges %d%n",
                    run,
                    seconds,
                    tokenizer.size(),
                    tokenizer.getMerges().size());
        }

        for (int pass = 1; pass <= 3; pass++) {
            // a fresh tokenizer each pass would not reuse the word cache; pass 1 is cold
            long tokens = 0;
            long chars = 0;
            long start = System.nanoTime();
            for (String text : texts) {
                tokens += tokenizer.encode(text).length;
                chars += text.length();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "encode pass %d%s: %d tokens in %.3f s = %.0f tokens/s"
                            + " (%.2f chars/token, %.1f tokens/text)%n",
                    pass,
                    pass == 1 ? " (cold word cache)" : "",
                    tokens,
                    seconds,
                    tokens / seconds,
                    (double) chars / tokens,
                    (double) tokens / texts.size());
        }
        if (args.length > 1) {
            tokenizer.save(Path.of(args[1]));
            System.out.println(
                    "saved " + args[1] + " (" + Files.size(Path.of(args[1])) + " bytes)");
        }
    }

    /** Reads the English and the Spanish side of every line of the bundled train split. */
    private static List<String> readBothSides() throws IOException {
        List<String> texts = new ArrayList<>();
        try (InputStream raw = TokenizerBenchmark.class.getResourceAsStream(TRAIN)) {
            if (raw == null) {
                throw new IOException("bundled corpus not on the classpath: " + TRAIN);
            }
            BufferedReader reader =
                    new BufferedReader(
                            new InputStreamReader(
                                    new GZIPInputStream(raw), StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String[] fields = line.split("\t", -1);
                if (fields.length != 3) {
                    throw new IOException(TRAIN + " line " + number + ": expected 3 fields");
                }
                texts.add(fields[1]);
                texts.add(fields[2]);
            }
        }
        return texts;
    }
}
