package io.github.djlseq2seq.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.IncrementalState;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.precision.Precision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Greedy decoding speed with and without the key/value cache, on a randomly initialised model.
 *
 * <p>The benchmark drives its own greedy loop over the model's incremental-decoding API ({@link
 * Seq2SeqTransformer#encode}, {@link Seq2SeqTransformer#decodeHidden} with or without an {@link
 * IncrementalState}): each sentence emits exactly L tokens (END ignored), so both modes do the same
 * number of steps; tokens/s counts every sentence of the batch, in the fastest of the timed calls
 * (the least disturbed by other processes). Defaults: d = 256, 4 heads, 3 + 3 layers, feed-forward
 * 1024, vocabularies of 8000, a batch of 32 sources of 32 tokens (START and END included), L = 16,
 * 64 and 128.
 *
 * <pre>
 *   mvn -q compile dependency:build-classpath -Dmdep.outputFile=cp.txt
 *   java -cp target/classes:$(cat cp.txt) io.github.djlseq2seq.bench.DecodingBenchmark [repeats]
 * </pre>
 */
public final class DecodingBenchmark {

    private final TransformerConfig config;
    private final int batchSize;
    private final int sourceLength;
    private final int[] outputLengths;
    private final int repeats;
    private final long seed;
    private final Precision precision;

    private DecodingBenchmark(Builder b) {
        config = b.config;
        batchSize = b.batchSize;
        sourceLength = b.sourceLength;
        outputLengths = b.outputLengths.clone();
        repeats = b.repeats;
        seed = b.seed;
        precision = b.precision;
    }

    /**
     * Creates a builder with the defaults above.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds the model, then times greedy decoding of the batch, cached and recomputed, at every
     * output length: one untimed warm-up call per mode, then the fastest of the timed calls.
     *
     * @return one figure per output length
     */
    public List<Figure> run() {
        Engine.getInstance().setRandomSeed((int) seed);
        try (Model model = Model.newInstance("decoding-benchmark")) {
            Seq2SeqTransformer block =
                    Seq2SeqTransformer.builder().setConfig(config).optPrecision(precision).build();
            model.setBlock(block);
            NDManager manager = model.getNDManager();
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 8), new Shape(1, 8));
            ParameterStore ps = new ParameterStore(manager, false);
            try (NDManager batch = manager.newSubManager()) {
                NDArray source = randomSources(batch);
                List<Figure> figures = new ArrayList<>();
                for (int length : outputLengths) {
                    double cached = tokensPerSecond(block, ps, source, length, true);
                    double recomputed = tokensPerSecond(block, ps, source, length, false);
                    figures.add(new Figure(length, cached, recomputed));
                }
                return figures;
            }
        }
    }

    private double tokensPerSecond(
            Seq2SeqTransformer block,
            ParameterStore ps,
            NDArray source,
            int length,
            boolean incremental) {
        greedy(block, ps, source, length, incremental); // warm-up
        long fastest = Long.MAX_VALUE; // the best call: least disturbed by other processes
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            greedy(block, ps, source, length, incremental);
            fastest = Math.min(fastest, System.nanoTime() - start);
        }
        return batchSize * length / (fastest / 1e9);
    }

    /**
     * Greedy decoding of exactly {@code length} tokens per sentence (END ignored), through the
     * model's public encode and decode API: with an {@link IncrementalState}, each step feeds only
     * the last token; without, it feeds the whole prefix from START.
     *
     * @return the tokens {@code [B][length]}
     */
    static int[][] greedy(
            Seq2SeqTransformer block,
            ParameterStore ps,
            NDArray source,
            int length,
            boolean incremental) {
        int rows = (int) source.getShape().get(0);
        int[][] prefix = new int[rows][length + 1]; // START, then the outputs
        for (int[] row : prefix) {
            row[0] = SpecialTokens.START_ID;
        }
        try (NDManager call = source.getManager().newSubManager()) {
            NDArray sourceIds = source.duplicate(); // [B, S]
            sourceIds.attach(call);
            NDArray memory = block.encode(ps, sourceIds, false); // [B, S, D]
            memory.attach(call);
            IncrementalState state = incremental ? new IncrementalState(call) : null;
            for (int t = 0; t < length; t++) {
                try (NDManager step = call.newSubManager()) {
                    NDArray h; // [B, 1, D]
                    if (incremental) {
                        int[][] last = new int[rows][1];
                        for (int r = 0; r < rows; r++) {
                            last[r][0] = prefix[r][t];
                        }
                        h =
                                block.decodeHidden(
                                        ps, memory, sourceIds, step.create(last), state, false);
                    } else {
                        int[][] seen = new int[rows][];
                        for (int r = 0; r < rows; r++) {
                            seen[r] = Arrays.copyOf(prefix[r], t + 1);
                        }
                        memory.tempAttach(step);
                        sourceIds.tempAttach(step);
                        h =
                                block.decodeHidden(
                                                ps,
                                                memory,
                                                sourceIds,
                                                step.create(seen),
                                                null,
                                                false)
                                        .get(new NDIndex(":, -1:, :")); // [B, t + 1, D] -> last
                    }
                    NDArray logProbs =
                            block.project(ps, h, false).squeeze(1).logSoftmax(1); // [B,V]
                    int[] next = logProbs.argMax(1).toType(DataType.INT32, false).toIntArray();
                    for (int r = 0; r < rows; r++) {
                        prefix[r][t + 1] = next[r];
                    }
                }
            }
        }
        int[][] out = new int[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(prefix[r], 1, length + 1);
        }
        return out;
    }

    /** {@code [batch, sourceLength]}: START, random ordinary ids, END; no padding. */
    private NDArray randomSources(NDManager manager) {
        Random random = new Random(seed);
        int[][] ids = new int[batchSize][sourceLength];
        int first = SpecialTokens.ALL.size();
        for (int[] row : ids) {
            for (int c = 1; c < sourceLength - 1; c++) {
                row[c] = first + random.nextInt(config.sourceVocabSize() - first);
            }
            row[0] = SpecialTokens.START_ID;
            row[sourceLength - 1] = SpecialTokens.END_ID;
        }
        return manager.create(ids);
    }

    /**
     * Describes the setting: model, batch and engine.
     *
     * @return one line
     */
    public String describe() {
        return String.format(
                "greedy decoding, d=%d, %d heads, %d+%d layers, ff %d, vocab %d/%d, batch %d x %d"
                        + " source tokens, best of %d timed call(s) per figure, %s, %s %s on %s",
                config.modelDim(),
                config.numHeads(),
                config.encoderLayers(),
                config.decoderLayers(),
                config.feedForwardDim(),
                config.sourceVocabSize(),
                config.targetVocabSize(),
                batchSize,
                sourceLength,
                repeats,
                precision.displayName(),
                Engine.getInstance().getEngineName(),
                Engine.getInstance().getVersion(),
                Engine.getInstance().defaultDevice());
    }

    /** The speed at one output length, with and without the cache. */
    public static final class Figure {
        private final int outputLength;
        private final double cached;
        private final double recomputed;

        Figure(int outputLength, double cached, double recomputed) {
            this.outputLength = outputLength;
            this.cached = cached;
            this.recomputed = recomputed;
        }

        /**
         * Returns the forced output length L.
         *
         * @return tokens per sentence
         */
        public int getOutputLength() {
            return outputLength;
        }

        /**
         * Returns the speed of incremental (cached) decoding.
         *
         * @return output tokens per second, over the batch
         */
        public double getCachedTokensPerSecond() {
            return cached;
        }

        /**
         * Returns the speed of decoding that recomputes the whole prefix every step.
         *
         * @return output tokens per second, over the batch
         */
        public double getRecomputedTokensPerSecond() {
            return recomputed;
        }

        /**
         * Returns how many times faster the cache makes decoding.
         *
         * @return cached / recomputed speed
         */
        public double getSpeedUp() {
            return cached / recomputed;
        }

        /** {@inheritDoc} */
        @Override
        public String toString() {
            return String.format(
                    "L=%d: cached %.1f tok/s, no cache %.1f tok/s, speed-up %.2fx",
                    outputLength, cached, recomputed, getSpeedUp());
        }
    }

    /** Builds a {@link DecodingBenchmark}; every value is optional. */
    public static final class Builder {
        private TransformerConfig config =
                TransformerConfig.builder()
                        .setSourceVocabSize(8000)
                        .setTargetVocabSize(8000)
                        .optModelDim(256)
                        .optNumHeads(4)
                        .optEncoderLayers(3)
                        .optDecoderLayers(3)
                        .optFeedForwardDim(1024)
                        .optDropout(0f)
                        .optMaxLength(256)
                        .build();
        private int batchSize = 32;
        private int sourceLength = 32;
        private int[] outputLengths = {16, 64, 128};
        private int repeats = 3;
        private long seed = 1;
        private Precision precision = Precision.FP32;

        Builder() {}

        /**
         * Sets the precision of the model's matrix products (default fp32).
         *
         * @param precision the precision, already resolved for the CPU
         * @return this builder
         */
        public Builder optPrecision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /**
         * Sets the model configuration (default above).
         *
         * @param config the configuration
         * @return this builder
         */
        public Builder optConfig(TransformerConfig config) {
            this.config = config;
            return this;
        }

        /**
         * Sets the number of sentences decoded together (default 32).
         *
         * @param batchSize the batch size
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the source length, START and END included (default 32).
         *
         * @param sourceLength the tokens per source
         * @return this builder
         */
        public Builder optSourceLength(int sourceLength) {
            this.sourceLength = sourceLength;
            return this;
        }

        /**
         * Sets the forced output lengths (default 16, 64, 128).
         *
         * @param lengths the tokens per output sentence
         * @return this builder
         */
        public Builder optOutputLengths(int... lengths) {
            this.outputLengths = lengths.clone();
            return this;
        }

        /**
         * Sets the number of timed calls per mode and length (default 3).
         *
         * @param repeats the number of calls
         * @return this builder
         */
        public Builder optRepeats(int repeats) {
            this.repeats = repeats;
            return this;
        }

        /**
         * Sets the seed of the model's initialisation and of the sources (default 1).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Validates the values and builds the benchmark.
         *
         * @return the benchmark
         */
        public DecodingBenchmark build() {
            if (batchSize < 1 || repeats < 1 || sourceLength < 2) {
                throw new IllegalArgumentException(
                        "batchSize and repeats must be positive and sourceLength at least 2");
            }
            if (sourceLength > config.maxLength()
                    || Arrays.stream(outputLengths)
                            .anyMatch(l -> l < 1 || l > config.maxLength())) {
                throw new IllegalArgumentException(
                        "source and output lengths must be in 1.." + config.maxLength());
            }
            return new DecodingBenchmark(this);
        }
    }
}
