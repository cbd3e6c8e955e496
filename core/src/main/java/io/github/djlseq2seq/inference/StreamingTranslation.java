package io.github.djlseq2seq.inference;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Translates a stream of lines of any length, one line out per line in, in input order, with
 * bounded memory: it reads a window of lines (10,000 by default), translates the window's non-blank
 * lines in length-sorted batches under a token budget ({@link LengthBatches}), writes the window's
 * translations in input order, and reads the next window. Only one window's lines and translations
 * are held at a time.
 *
 * <pre>
 *   try (Predictor&lt;String, String&gt; p = model.newPredictor()) {
 *       StreamingTranslation.builder().setPredictor(p).build().translate(reader, writer);
 *   }
 * </pre>
 *
 * <p>A blank line (empty or only white space) gives an empty line without reaching the model, as
 * {@link Seq2SeqTranslator} translates it; a translation never spans lines (line breaks in it
 * become spaces). Since each sentence is decoded on its own (its batch only pads it), the output is
 * that of translating the lines in input order in fixed batches.
 */
public final class StreamingTranslation {

    private final Predictor<String, String> predictor;
    private final int window;
    private final LengthBatches batches;
    private final ToIntFunction<String> length;
    private final Progress progress;

    private StreamingTranslation(Builder b) {
        predictor = b.predictor;
        window = b.window;
        batches = new LengthBatches(b.maxSentences, b.maxTokens);
        length = b.length;
        progress = b.progress;
    }

    /**
     * Creates a builder; the predictor is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Translates every line of the reader to the writer, window by window, and flushes the writer
     * after each window.
     *
     * @param in the source lines
     * @param out where the translations go, one line each
     * @return the lines translated (blank ones included) and the time they took
     * @throws IOException if reading or writing fails
     * @throws TranslateException if a batch fails
     */
    public Summary translate(BufferedReader in, Writer out) throws IOException, TranslateException {
        long start = System.nanoTime();
        long[] done = {0};
        List<String> lines = new ArrayList<>();
        for (String line; (line = in.readLine()) != null; ) {
            lines.add(line);
            if (lines.size() == window) {
                translateWindow(lines, out, done, start);
            }
        }
        translateWindow(lines, out, done, start);
        return new Summary(done[0], seconds(start));
    }

    /** Translates one window, writes it in order and empties it. */
    private void translateWindow(List<String> lines, Writer out, long[] done, long start)
            throws IOException, TranslateException {
        List<String> sentences = new ArrayList<>(lines.size());
        for (String line : lines) {
            if (!line.isBlank()) {
                sentences.add(line);
            }
        }
        done[0] += lines.size() - sentences.size();
        String[] translated =
                batches.translate(
                        predictor,
                        sentences,
                        length,
                        n -> {
                            done[0] += n;
                            progress.update(done[0], seconds(start));
                        });
        int next = 0;
        for (String line : lines) {
            if (!line.isBlank()) {
                // a translation never spans lines: one line out per line in
                out.write(translated[next++].replace('\n', ' ').replace('\r', ' '));
            }
            out.write('\n');
        }
        out.flush();
        lines.clear();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Told how far a translation has come after each batch. */
    @FunctionalInterface
    public interface Progress {

        /**
         * Reports the lines translated so far.
         *
         * @param lines the lines done (blank ones included; written or about to be)
         * @param seconds the time since the translation began
         */
        void update(long lines, double seconds);
    }

    /**
     * What a translation did.
     *
     * @param lines the lines translated, blank ones included
     * @param seconds the wall-clock time it took
     */
    public record Summary(long lines, double seconds) {

        /**
         * Returns the throughput.
         *
         * @return lines per second
         */
        public double linesPerSecond() {
            return seconds > 0 ? lines / seconds : 0;
        }
    }

    /** Builds a {@link StreamingTranslation}; the predictor is required. */
    public static final class Builder {
        private Predictor<String, String> predictor;
        private int window = 10_000;
        private int maxSentences = 256;
        private long maxTokens = 4096;
        private ToIntFunction<String> length = String::length;
        private Progress progress = (lines, seconds) -> {};

        Builder() {}

        /**
         * Sets the predictor that translates the batches.
         *
         * @param predictor a String → String predictor, e.g. over a {@link Seq2SeqTranslator}
         * @return this builder
         */
        public Builder setPredictor(Predictor<String, String> predictor) {
            this.predictor = predictor;
            return this;
        }

        /**
         * Sets the lines read, sorted and held at a time (default 10,000).
         *
         * @param lines the window, at least 1
         * @return this builder
         */
        public Builder optWindow(int lines) {
            this.window = lines;
            return this;
        }

        /**
         * Sets the most sentences in a batch (default 256).
         *
         * @param sentences the limit, at least 1
         * @return this builder
         */
        public Builder optMaxSentences(int sentences) {
            this.maxSentences = sentences;
            return this;
        }

        /**
         * Sets the token budget of a batch, {@code sentences · (longest + 2)} in units of the
         * length function (default 4,096).
         *
         * @param tokens the budget, at least 1
         * @return this builder
         */
        public Builder optMaxTokens(long tokens) {
            this.maxTokens = tokens;
            return this;
        }

        /**
         * Sets the length that sentences are sorted and budgeted by (default: characters; a
         * tokenizer's token count is better, e.g. {@code s -> tokenizer.encode(s).length}).
         *
         * @param length the length of a sentence
         * @return this builder
         */
        public Builder optLength(ToIntFunction<String> length) {
            this.length = length;
            return this;
        }

        /**
         * Sets what is told of the progress after each batch (default: nothing).
         *
         * @param progress the listener
         * @return this builder
         */
        public Builder optProgress(Progress progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Validates the values and builds the translation.
         *
         * @return the streaming translation
         * @throws IllegalArgumentException naming the first bad value
         */
        public StreamingTranslation build() {
            if (predictor == null) {
                throw new IllegalArgumentException("StreamingTranslation needs a predictor");
            }
            if (window < 1) {
                throw new IllegalArgumentException("window must be at least 1, got " + window);
            }
            return new StreamingTranslation(this);
        }
    }
}
