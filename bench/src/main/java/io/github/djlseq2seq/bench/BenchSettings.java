package io.github.djlseq2seq.bench;

import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.precision.Precision;
import java.nio.file.Path;

/**
 * What a training benchmark runs: the fixed model <em>base-cpu</em> (see {@link #baseCpu}) and the
 * batch shape and step counts, which flags may change.
 *
 * <p>{@link BenchCommand} maps its flags onto {@link #builder()}.
 */
public final class BenchSettings {

    /** The step after which resident memory is first read. */
    public static final int FIRST_MEMORY_STEP = 100;

    /** The steps recorded by the profiler when a profile file is given. */
    public static final int PROFILED_STEPS = 5;

    private final int batch;
    private final int sourceLength;
    private final int targetLength;
    private final int warmupSteps;
    private final int timedSteps;
    private final int memorySteps;
    private final boolean clip;
    private final boolean skipMatmul;
    private final boolean skipDecoding;
    private final Path profile;
    private final Precision precision;

    private BenchSettings(Builder b) {
        batch = b.batch;
        sourceLength = b.sourceLength;
        targetLength = b.targetLength;
        warmupSteps = b.warmupSteps;
        timedSteps = b.timedSteps;
        memorySteps = b.memorySteps;
        clip = b.clip;
        skipMatmul = b.skipMatmul;
        skipDecoding = b.skipDecoding;
        profile = b.profile;
        precision = b.precision;
    }

    /**
     * Creates a builder with the base-cpu defaults: batch 32, lengths 32, 5 warm-up and 20 timed
     * steps, memory read after step 100 only, no clipping.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The fixed benchmark model <em>base-cpu</em>: D 256, 4 heads, 3 + 3 layers, feed-forward 1024,
     * separate untied vocabularies of 8000, dropout 0.1, post-norm.
     *
     * @param maxLength the longest sequence the model must accept
     * @return the configuration
     */
    public static TransformerConfig baseCpu(int maxLength) {
        return TransformerConfig.builder()
                .setSourceVocabSize(8000)
                .setTargetVocabSize(8000)
                .optModelDim(256)
                .optNumHeads(4)
                .optEncoderLayers(3)
                .optDecoderLayers(3)
                .optFeedForwardDim(1024)
                .optDropout(0.1f)
                .optMaxLength(Math.max(256, maxLength))
                .build();
    }

    /**
     * Returns the base-cpu model sized for these lengths.
     *
     * @return the configuration
     */
    public TransformerConfig modelConfig() {
        return baseCpu(Math.max(sourceLength, targetLength));
    }

    /**
     * @return the sentences per batch B
     */
    public int getBatch() {
        return batch;
    }

    /**
     * @return the source positions S per sentence
     */
    public int getSourceLength() {
        return sourceLength;
    }

    /**
     * @return the decoder positions T per sentence (all of them are target tokens: no padding)
     */
    public int getTargetLength() {
        return targetLength;
    }

    /**
     * @return the untimed steps run first
     */
    public int getWarmupSteps() {
        return warmupSteps;
    }

    /**
     * @return the timed steps whose median is reported
     */
    public int getTimedSteps() {
        return timedSteps;
    }

    /**
     * @return the last step, after which resident memory is read (100: once; 0: never)
     */
    public int getMemorySteps() {
        return memorySteps;
    }

    /**
     * @return whether the global gradient norm is clipped each step, as TrainingLoop does
     */
    public boolean isClip() {
        return clip;
    }

    /**
     * @return whether the matrix-product rate is not measured
     */
    public boolean isSkipMatmul() {
        return skipMatmul;
    }

    /**
     * @return whether the decoding benchmark is not run
     */
    public boolean isSkipDecoding() {
        return skipDecoding;
    }

    /**
     * @return where libtorch's profiler writes its Chrome trace of {@link #PROFILED_STEPS} steps,
     *     or null for no profile
     */
    public Path getProfile() {
        return profile;
    }

    /**
     * Returns the precision of the model's matrix products.
     *
     * @return the precision
     */
    public Precision getPrecision() {
        return precision;
    }

    /**
     * Returns the number of steps run in all: warm-up, timed, then on to the memory readings.
     *
     * @return the steps
     */
    public int totalSteps() {
        return Math.max(warmupSteps + timedSteps, memorySteps);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return String.format(
                "B=%d S=%d T=%d, %d warm-up + %d timed steps%s, %s",
                batch,
                sourceLength,
                targetLength,
                warmupSteps,
                timedSteps,
                clip ? ", clip 1" : "",
                precision.displayName());
    }

    /** Builds {@link BenchSettings}. */
    public static final class Builder {
        private int batch = 32;
        private int sourceLength = 32;
        private int targetLength = 32;
        private int warmupSteps = 5;
        private int timedSteps = 20;
        private int memorySteps = FIRST_MEMORY_STEP;
        private boolean clip;
        private boolean skipMatmul;
        private boolean skipDecoding;
        private Path profile;
        private Precision precision = Precision.FP32;

        Builder() {}

        /**
         * Sets the batch size (default 32).
         *
         * @param batch the sentences per batch
         * @return this builder
         */
        public Builder optBatch(int batch) {
            this.batch = batch;
            return this;
        }

        /**
         * Sets the source length (default 32).
         *
         * @param length the positions per source sentence
         * @return this builder
         */
        public Builder optSourceLength(int length) {
            this.sourceLength = length;
            return this;
        }

        /**
         * Sets the target length (default 32).
         *
         * @param length the positions per decoder input
         * @return this builder
         */
        public Builder optTargetLength(int length) {
            this.targetLength = length;
            return this;
        }

        /**
         * Sets the untimed warm-up steps (default 5).
         *
         * @param steps the steps
         * @return this builder
         */
        public Builder optWarmupSteps(int steps) {
            this.warmupSteps = steps;
            return this;
        }

        /**
         * Sets the timed steps (default 20, at least 10 for a report).
         *
         * @param steps the steps
         * @return this builder
         */
        public Builder optTimedSteps(int steps) {
            this.timedSteps = steps;
            return this;
        }

        /**
         * Sets the step after which memory is read a second time (default 100: only once; 2000 for
         * the growth check).
         *
         * @param steps the step
         * @return this builder
         */
        public Builder optMemorySteps(int steps) {
            this.memorySteps = steps;
            return this;
        }

        /**
         * Also clips the global gradient norm to 1 each step (default false).
         *
         * @param clip whether to clip
         * @return this builder
         */
        public Builder optClip(boolean clip) {
            this.clip = clip;
            return this;
        }

        /**
         * Skips the matrix-product measurement (default false).
         *
         * @param skip whether to skip
         * @return this builder
         */
        public Builder optSkipMatmul(boolean skip) {
            this.skipMatmul = skip;
            return this;
        }

        /**
         * Records {@link #PROFILED_STEPS} extra steps with libtorch's profiler (default none).
         *
         * @param file where the Chrome trace is written
         * @return this builder
         */
        public Builder optProfile(Path file) {
            this.profile = file;
            return this;
        }

        /**
         * Skips the decoding benchmark (default false).
         *
         * @param skip whether to skip
         * @return this builder
         */
        public Builder optSkipDecoding(boolean skip) {
            this.skipDecoding = skip;
            return this;
        }

        /**
         * Sets the precision of the model's matrix products (default fp32), already resolved for
         * the CPU.
         *
         * @param precision the precision
         * @return this builder
         */
        public Builder optPrecision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws IllegalArgumentException naming the first bad value
         */
        public BenchSettings build() {
            positive("batch", batch);
            positive("sourceLength", sourceLength);
            positive("targetLength", targetLength);
            positive("timedSteps", timedSteps);
            if (warmupSteps < 0 || memorySteps < 0) {
                throw new IllegalArgumentException("warmupSteps and memorySteps must be >= 0");
            }
            return new BenchSettings(this);
        }

        private static void positive(String field, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(field + " must be positive, got " + value);
            }
        }
    }
}
