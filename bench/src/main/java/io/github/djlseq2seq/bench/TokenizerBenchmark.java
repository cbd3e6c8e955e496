package io.github.djlseq2seq.bench;

import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.data.TextPair;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Times the BPE tokenizer on the bundled Bible train split: training a shared vocabulary on both
 * sides, then encoding every line of both sides, and prints the figures.
 *
 * <p>Run: {@code bench tokenizer [--vocab-size N] [--save tokenizer.json]} ({@link BenchCommand}).
 */
public final class TokenizerBenchmark {

    private TokenizerBenchmark() {}

    /**
     * Trains the tokenizer twice on both sides of the pairs, then encodes them three times.
     *
     * @param pairs the corpus
     * @param vocabSize the vocabulary size to train
     * @param save where to write the trained tokenizer.json, or null for nowhere
     * @param out where the figures go
     * @throws IOException if the tokenizer cannot be written
     */
    public static void run(List<TextPair> pairs, int vocabSize, Path save, PrintStream out)
            throws IOException {
        List<String> texts = bothSides(pairs);
        out.printf(
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
            out.printf(
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
            out.printf(
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
        if (save != null) {
            tokenizer.save(save);
            out.println("saved " + save + " (" + Files.size(save) + " bytes)");
        }
    }

    /**
     * Lists the source and the target text of every pair, in corpus order.
     *
     * @param pairs the pairs
     * @return 2 texts per pair
     */
    static List<String> bothSides(List<TextPair> pairs) {
        List<String> texts = new ArrayList<>(2 * pairs.size());
        for (TextPair pair : pairs) {
            texts.add(pair.source());
            texts.add(pair.target());
        }
        return texts;
    }
}
