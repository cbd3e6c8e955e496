package io.github.djlseq2seq.data;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches pairs of similar length together, so that batches carry little padding; for {@link
 * ParallelTextDataset}.
 *
 * <p>Each epoch: shuffle all indices; cut them into pools of {@code poolSize}; sort each pool by
 * target then source length (stable, so equal lengths stay shuffled); cut each pool into batches of
 * at most {@code batchSize} pairs and, when set, at most {@code maxTokens} padded positions ({@code
 * B × max(S, T)}, so that neither the source nor the target array is larger); shuffle the batches.
 * A single pair over {@code maxTokens} gets a batch of its own. Every pair is used once an epoch.
 *
 * <p>The order is a pure function of {@code (seed, epoch)}. Each call of {@link #sample} (DJL calls
 * it once an epoch, from {@code trainer.iterateDataset}) uses the current epoch and moves on to the
 * next; {@link #setEpoch} sets the epoch of the next call, so that a resumed run sees the same
 * batches as the interrupted one. Use one sampler per dataset.
 */
public final class BucketingSampler implements Sampler, EpochAware {

    /** The default number of pairs sorted together. */
    public static final int DEFAULT_POOL_SIZE = 8192;

    /** The largest pool size: positions within a pool take 23 bits of the sort key. */
    public static final int MAX_POOL_SIZE = 1 << 23;

    private static final long POSITION_MASK = MAX_POOL_SIZE - 1;

    private final int batchSize;
    private final int maxTokens;
    private final int poolSize;
    private final long seed;
    private final boolean shuffle;
    private final AtomicInteger epoch = new AtomicInteger();

    private BucketingSampler(Builder builder) {
        batchSize = builder.batchSize;
        maxTokens = builder.maxTokens;
        poolSize = builder.poolSize;
        seed = builder.seed;
        shuffle = builder.shuffle;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the batches of the current epoch and moves on to the next epoch.
     *
     * @param dataset a prepared {@link ParallelTextDataset}
     * @return the batches of record indices
     */
    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        return batches(dataset, epoch.getAndIncrement()).iterator();
    }

    /**
     * Returns the fixed number of pairs a batch holds, or -1 when a token budget makes it vary.
     *
     * @return the batch size, or -1
     */
    @Override
    public int getBatchSize() {
        return maxTokens > 0 ? -1 : batchSize;
    }

    /**
     * Returns the epoch that the next call of {@link #sample} will use.
     *
     * @return the epoch, from 0
     */
    public int getEpoch() {
        return epoch.get();
    }

    /**
     * Sets the epoch that the next call of {@link #sample} will use, e.g. when resuming.
     *
     * @param next the epoch, from 0
     */
    @Override
    public void setEpoch(int next) {
        if (next < 0) {
            throw new IllegalArgumentException("epoch must not be negative: " + next);
        }
        epoch.set(next);
    }

    /**
     * Returns the batches of a given epoch, without changing the sampler's epoch.
     *
     * @param dataset a prepared {@link ParallelTextDataset}
     * @param epochIndex the epoch
     * @return the batches of record indices, in the order they are served
     */
    public List<List<Long>> batches(RandomAccessDataset dataset, int epochIndex) {
        if (!(dataset instanceof ParallelTextDataset)) {
            throw new IllegalArgumentException(
                    "BucketingSampler needs the lengths of a ParallelTextDataset, got "
                            + dataset.getClass().getName());
        }
        ParallelTextDataset data = (ParallelTextDataset) dataset;
        int size = Math.toIntExact(data.size());
        // one unrelated stream per (seed, epoch)
        SplittableRandom random = new SplittableRandom(mix64(seed + mix64(epochIndex)));
        int[] order = new int[size];
        Arrays.setAll(order, i -> i);
        if (shuffle) {
            shuffle(order, random);
        }
        List<List<Long>> batches = new ArrayList<>();
        long[] keys = new long[Math.min(size, poolSize)];
        for (int from = 0; from < size; from += poolSize) {
            int to = Math.min(size, from + poolSize);
            // sort by (target length, source length, position): stable, so ties stay shuffled
            for (int k = from; k < to; k++) {
                keys[k - from] =
                        ((long) clamp(data.targetLength(order[k])) << 43)
                                | ((long) clamp(data.sourceLength(order[k])) << 23)
                                | (k - from);
            }
            Arrays.sort(keys, 0, to - from);
            int[] sorted = new int[to - from];
            for (int k = 0; k < sorted.length; k++) {
                sorted[k] = order[from + (int) (keys[k] & POSITION_MASK)];
            }
            cut(data, sorted, batches);
        }
        if (shuffle) {
            shuffle(batches, random);
        }
        return batches;
    }

    /** Lengths from 2^20 tokens on sort together: the sort key has 20 bits for each. */
    private static int clamp(int length) {
        return Math.min(length, (1 << 20) - 1);
    }

    /** Cuts a sorted run of indices into batches within the size and token limits. */
    private void cut(ParallelTextDataset data, int[] sorted, List<List<Long>> out) {
        List<Long> batch = new ArrayList<>();
        int longest = 0;
        for (int index : sorted) {
            int length = Math.max(data.sourceLength(index), data.targetLength(index));
            int widest = Math.max(longest, length);
            boolean full =
                    batch.size() == batchSize
                            || (maxTokens > 0 && (long) (batch.size() + 1) * widest > maxTokens);
            if (!batch.isEmpty() && full) {
                out.add(batch);
                batch = new ArrayList<>();
                widest = length;
            }
            batch.add((long) index);
            longest = widest;
        }
        if (!batch.isEmpty()) {
            out.add(batch);
        }
    }

    /** Stafford's variant 13 of the MurmurHash3 finalizer: a bijective 64-bit mix. */
    private static long mix64(long value) {
        long z = (value ^ (value >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void shuffle(int[] array, SplittableRandom random) {
        for (int i = array.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = array[i];
            array[i] = array[j];
            array[j] = tmp;
        }
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            list.set(i, list.set(j, list.get(i)));
        }
    }

    /** Builds a {@link BucketingSampler}; a batch size or a token budget (or both) is required. */
    public static final class Builder {

        private int batchSize = Integer.MAX_VALUE;
        private int maxTokens;
        private int poolSize = DEFAULT_POOL_SIZE;
        private long seed;
        private boolean shuffle = true;
        private boolean sizeSet;

        Builder() {}

        /**
         * Sets the most pairs a batch holds.
         *
         * @param size the batch size
         * @return this builder
         */
        public Builder setBatchSize(int size) {
            batchSize = positive("batchSize", size);
            sizeSet = true;
            return this;
        }

        /**
         * Sets the most padded positions a batch holds, {@code B × max(S, T)}.
         *
         * @param tokens the token budget
         * @return this builder
         */
        public Builder setMaxTokens(int tokens) {
            maxTokens = positive("maxTokens", tokens);
            sizeSet = true;
            return this;
        }

        /**
         * Sets how many pairs are sorted by length together (default 8192): larger means less
         * padding and less randomness in the composition of batches.
         *
         * @param pairs the pool size
         * @return this builder
         */
        public Builder optPoolSize(int pairs) {
            poolSize = positive("poolSize", pairs);
            if (pairs > MAX_POOL_SIZE) {
                throw new IllegalArgumentException(
                        "poolSize must be at most " + MAX_POOL_SIZE + ": " + pairs);
            }
            return this;
        }

        /**
         * Sets the seed of the shuffles (default 0).
         *
         * @param value the seed
         * @return this builder
         */
        public Builder optSeed(long value) {
            seed = value;
            return this;
        }

        /**
         * Sets whether pairs and batches are shuffled (default true); without, pools follow the
         * dataset order and batches the pool order, e.g. for evaluation.
         *
         * @param value whether to shuffle
         * @return this builder
         */
        public Builder optShuffle(boolean value) {
            shuffle = value;
            return this;
        }

        /**
         * Builds the sampler.
         *
         * @return the sampler
         */
        public BucketingSampler build() {
            if (!sizeSet) {
                throw new IllegalArgumentException(
                        "set a batch size (setBatchSize), a token budget (setMaxTokens) or both");
            }
            return new BucketingSampler(this);
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return value;
        }
    }
}
