package io.github.djlseq2seq.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.RandomSampler;
import ai.djl.training.dataset.Sampler;
import ai.djl.translate.Pipeline;
import ai.djl.translate.TranslateException;
import io.github.djlseq2seq.data.*;
import io.github.djlseq2seq.examples.BundledCorpus;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * Throughput of the data pipeline on the bundled Bible train split: reading, tokenizing, and
 * batching into padded int32 arrays, in tokens per second, single-threaded. Batching is measured on
 * the direct path (arrays built from the ids) and on DJL's generic record-by-record path (taken
 * when a pipeline is set). Tokens are the non-PAD positions of source and target.
 *
 * <p>Run: {@code bench data} ({@link BenchCommand}), with a whitespace tokenizer; call {@link #run}
 * with another one to measure it.
 */
public final class DataBenchmark {

    private static final int ROUNDS = 3;

    private DataBenchmark() {}

    /**
     * Runs the benchmark with a whitespace tokenizer trained on the corpus.
     *
     * @param out where to print
     * @throws IOException if the corpus cannot be read
     * @throws TranslateException if batching fails
     */
    public static void runWordLevel(PrintStream out) throws IOException, TranslateException {
        List<String> texts = TokenizerBenchmark.bothSides(BundledCorpus.readTrain());
        WordLevelTokenizer words =
                WordLevelTokenizer.train(texts, WordLevelTrainingConfig.builder().build());
        run(words, words, out);
    }

    /**
     * Measures and prints reading, tokenizing and batching throughput.
     *
     * @param source the source-side tokenizer
     * @param target the target-side tokenizer (may be the same object)
     * @param out where to print
     * @throws IOException if the corpus cannot be read
     * @throws TranslateException if batching fails
     */
    public static void run(Seq2SeqTokenizer source, Seq2SeqTokenizer target, PrintStream out)
            throws IOException, TranslateException {
        out.printf(
                "tokenizers: %s / %s; %d cores%n",
                source.getClass().getSimpleName(),
                target.getClass().getSimpleName(),
                Runtime.getRuntime().availableProcessors());

        // 1. reading: gunzip, UTF-8 decoding with checks, splitting
        List<TextPair> pairs = null;
        double best = Double.MAX_VALUE;
        for (int round = 0; round <= ROUNDS; round++) {
            long start = System.nanoTime();
            pairs = BundledCorpus.readTrain();
            best = Math.min(best, seconds(start));
        }
        long chars = pairs.stream().mapToLong(p -> p.source().length() + p.target().length()).sum();
        out.printf(
                "read:     %,d pairs, %,d chars in %.3f s: %,.0f pairs/s%n",
                pairs.size(), chars, best, pairs.size() / best);

        // 2. tokenizing both sides (round 0 warms up)
        long tokens = 0;
        best = Double.MAX_VALUE;
        for (int round = 0; round <= ROUNDS; round++) {
            long start = System.nanoTime();
            tokens = 0;
            for (TextPair pair : pairs) {
                tokens += source.encode(pair.source()).length;
                tokens += target.encode(pair.target()).length;
            }
            double time = seconds(start);
            if (round > 0) {
                best = Math.min(best, time);
            }
        }
        out.printf("tokenize: %,d tokens in %.3f s: %,.0f tokens/s%n", tokens, best, tokens / best);

        // 3. batching: ids -> padded [B, S], [B, T], [B, T] int32 arrays, each batch closed
        BucketingSampler bucketed = BucketingSampler.builder().setMaxTokens(4096).build();
        ParallelTextDataset.Builder builder =
                ParallelTextDataset.builder().setTokenizers(source, target).setSampling(bucketed);
        try (ParallelTextDataset dataset = builder.build();
                ParallelTextDataset recordByRecord = builder.optPipeline(new Pipeline()).build();
                NDManager manager = NDManager.newBaseManager()) {
            long start = System.nanoTime();
            dataset.prepare();
            out.printf("prepare:  %,d pairs in %.3f s%n", dataset.size(), seconds(start));
            recordByRecord.prepare();
            best = Double.MAX_VALUE;
            for (int round = 0; round <= ROUNDS; round++) {
                start = System.nanoTime();
                bucketed.batches(dataset, round);
                best = Math.min(best, seconds(start));
            }
            out.printf("sample:   bucketing one epoch in %.3f s%n", best);
            Sampler random = new BatchSampler(new RandomSampler(), 64);
            batch(dataset, manager, bucketed, "direct, bucketed 4096 tokens", out);
            batch(dataset, manager, random, "direct, random 64 pairs", out);
            batch(recordByRecord, manager, bucketed, "record by record, bucketed 4096 tokens", out);
            batch(recordByRecord, manager, random, "record by record, random 64 pairs", out);
        }
    }

    /** Times whole epochs of batches, counting the non-PAD tokens of source and target. */
    private static void batch(
            RandomAccessDataset dataset,
            NDManager manager,
            Sampler sampler,
            String name,
            PrintStream out)
            throws IOException, TranslateException {
        ParallelTextDataset data = (ParallelTextDataset) dataset;
        double best = Double.MAX_VALUE;
        long tokens = 0;
        long positions = 0;
        int batches = 0;
        for (int round = 0; round <= ROUNDS; round++) {
            long start = System.nanoTime();
            tokens = 0;
            positions = 0;
            batches = 0;
            for (Batch batch : dataset.getData(manager, sampler)) {
                tokens += data.countTargetTokens(batch);
                for (Object index : batch.getIndices()) {
                    tokens += data.sourceLength((Long) index);
                }
                positions += batch.getData().get(0).size() + batch.getLabels().head().size();
                batches++;
                batch.close();
            }
            double time = seconds(start);
            if (round > 0) {
                best = Math.min(best, time);
            }
        }
        out.printf(
                "batch (%s): %,d batches, %,d tokens (%.1f%% padding) in %.3f s:"
                        + " %,.0f tokens/s, %,.0f batches/s%n",
                name,
                batches,
                tokens,
                100.0 * (positions - tokens) / positions,
                best,
                tokens / best,
                batches / best);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
