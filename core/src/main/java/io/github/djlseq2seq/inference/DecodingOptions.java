package io.github.djlseq2seq.inference;

/**
 * How to decode: beam size, GNMT length penalty and the maximum output length, the size of the
 * n-best list, and sampling (temperature, top-k, top-p, seed) instead of beam search; immutable,
 * made by {@link #builder()}.
 *
 * <pre>
 *   maximum output length = min(floor(a · n + b), maxLength - 1)
 *       n = the source's own tokens (START, END and PAD not counted),
 *       maxLength = the model's longest sequence; END comes on top of these tokens
 *   length penalty lp(len) = ((5 + len) / 6)^α      (Wu et al., 2016, GNMT)
 *       len = the output tokens plus END; beam search ranks finished hypotheses by score / lp
 *   sampling, per step: p ∝ exp(log p(y | y_&lt;i, x) / T), cut to the top-k tokens, then to the
 *       smallest set of most probable tokens whose probability reaches top-p (nucleus)
 * </pre>
 *
 * <p>Decoding is greedy for beam size 1, beam search above, and sampling when {@link
 * Builder#optSample} is set (the beam size is then not read). The n-best list holds the best {@code
 * nBest} finished beams (at most the beam size), or {@code nBest} independent samples per sentence,
 * best normalized score first.
 */
public final class DecodingOptions {

    private final int beamSize;
    private final float lengthPenalty;
    private final float maxLengthRatio;
    private final int maxLengthOffset;
    private final int noRepeatNgramSize;
    private final boolean truncateSource;
    private final boolean incremental;
    private final int nBest;
    private final boolean sample;
    private final float temperature;
    private final int topK;
    private final float topP;
    private final long seed;

    private DecodingOptions(Builder b, int beamSize) {
        this.beamSize = beamSize;
        lengthPenalty = b.lengthPenalty;
        maxLengthRatio = b.maxLengthRatio;
        maxLengthOffset = b.maxLengthOffset;
        noRepeatNgramSize = b.noRepeatNgramSize;
        truncateSource = b.truncateSource;
        incremental = b.incremental;
        nBest = b.nBest;
        sample = b.sample;
        temperature = b.temperature;
        topK = b.topK;
        topP = b.topP;
        seed = b.seed;
    }

    /**
     * Creates a builder with the defaults: beam 4, α 0.6, maximum length 1.2 n + 10, cached.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the beam size; 1 means greedy.
     *
     * @return the number of hypotheses kept per sentence
     */
    public int getBeamSize() {
        return beamSize;
    }

    /**
     * Returns the length penalty exponent α.
     *
     * @return α, 0 for none
     */
    public float getLengthPenalty() {
        return lengthPenalty;
    }

    /**
     * Returns the factor a of the maximum output length {@code a · n + b}.
     *
     * @return a
     */
    public float getMaxLengthRatio() {
        return maxLengthRatio;
    }

    /**
     * Returns the constant b of the maximum output length {@code a · n + b}.
     *
     * @return b
     */
    public int getMaxLengthOffset() {
        return maxLengthOffset;
    }

    /**
     * Returns the size n of the n-grams that may not repeat in an output (0: no blocking).
     *
     * @return n, or 0
     */
    public int getNoRepeatNgramSize() {
        return noRepeatNgramSize;
    }

    /**
     * Returns whether a source longer than the model accepts is cut to fit (else it is refused).
     *
     * @return whether over-long sources are truncated
     */
    public boolean isTruncateSource() {
        return truncateSource;
    }

    /**
     * Returns whether decoding reuses cached keys and values (else it recomputes the whole prefix
     * at every step).
     *
     * @return true for incremental decoding
     */
    public boolean isIncremental() {
        return incremental;
    }

    /**
     * Returns the number of hypotheses returned per sentence: the best finished beams, or samples.
     *
     * @return K, at least 1 (at most the beam size unless sampling)
     */
    public int getNBest() {
        return nBest;
    }

    /**
     * Returns whether the next tokens are sampled rather than searched for.
     *
     * @return true for sampling
     */
    public boolean isSample() {
        return sample;
    }

    /**
     * Returns the sampling temperature T; 0 takes the most probable token.
     *
     * @return T, at least 0
     */
    public float getTemperature() {
        return temperature;
    }

    /**
     * Returns the number of most probable tokens sampling draws from (0: all).
     *
     * @return k, or 0
     */
    public int getTopK() {
        return topK;
    }

    /**
     * Returns the nucleus size: sampling draws from the smallest set of most probable tokens whose
     * probability reaches it (1: all).
     *
     * @return p, in (0, 1]
     */
    public float getTopP() {
        return topP;
    }

    /**
     * Returns the seed of sampling; a sentence's samples depend only on it, the sentence (source
     * and prefix tokens) and the sample's rank.
     *
     * @return the seed
     */
    public long getSeed() {
        return seed;
    }

    /**
     * The GNMT length penalty {@code ((5 + len) / 6)^α}.
     *
     * @param length the hypothesis length, END included
     * @return the divisor of its score
     */
    public double lengthPenalty(int length) {
        return Math.pow((5.0 + length) / 6.0, lengthPenalty);
    }

    /**
     * The most tokens (END not counted) a sentence may produce.
     *
     * @param sourceLength n, the source's own tokens
     * @param modelMaxLength the model's longest sequence; the decoder input START + tokens must fit
     * @return {@code min(floor(a · n + b), modelMaxLength - 1)}
     */
    public int maxOutputLength(int sourceLength, int modelMaxLength) {
        long length = (long) Math.floor(maxLengthRatio * sourceLength + maxLengthOffset);
        return (int) Math.min(length, modelMaxLength - 1L);
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof DecodingOptions d && toString().equals(d.toString());
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return (sample ? sampling() : "beam " + beamSize)
                + (nBest > 1 ? ", " + nBest + "-best" : "")
                + ", alpha "
                + lengthPenalty
                + ", max length "
                + maxLengthRatio
                + " n + "
                + maxLengthOffset
                + (noRepeatNgramSize > 0 ? ", no repeated " + noRepeatNgramSize + "-grams" : "")
                + (truncateSource ? ", long sources truncated" : "")
                + (incremental ? ", cached" : ", recomputed");
    }

    private String sampling() {
        return "sampling with temperature "
                + temperature
                + (topK > 0 ? ", top-k " + topK : "")
                + (topP < 1 ? ", top-p " + topP : "")
                + ", seed "
                + seed;
    }

    /** Builds {@link DecodingOptions}; every value is optional. */
    public static final class Builder {
        private int beamSize = 4;
        private float lengthPenalty = 0.6f;
        private float maxLengthRatio = 1.2f;
        private int maxLengthOffset = 10;
        private int noRepeatNgramSize;
        private boolean truncateSource;
        private boolean incremental = true;
        private boolean beamSizeSet;
        private int nBest = 1;
        private boolean sample;
        private float temperature = 1f;
        private int topK;
        private float topP = 1f;
        private long seed;

        Builder() {}

        /**
         * Sets the beam size (default 4, raised to the n-best size when that is larger and the beam
         * size was not set); 1 decodes greedily.
         *
         * @param beamSize the number of hypotheses kept per sentence, at least 1
         * @return this builder
         */
        public Builder optBeamSize(int beamSize) {
            this.beamSize = beamSize;
            this.beamSizeSet = true;
            return this;
        }

        /**
         * Sets the number K of hypotheses returned per sentence (default 1): beam search returns
         * its K best finished hypotheses (K at most the beam size; an unset beam size becomes K
         * when smaller), sampling draws K independent samples.
         *
         * @param nBest K, at least 1
         * @return this builder
         */
        public Builder optNBest(int nBest) {
            this.nBest = nBest;
            return this;
        }

        /**
         * Samples each next token instead of searching (default false): from the model's
         * distribution sharpened by the temperature and cut by top-k and top-p, with a seeded
         * generator; the beam size is then not read.
         *
         * @param sample whether to sample
         * @return this builder
         */
        public Builder optSample(boolean sample) {
            this.sample = sample;
            return this;
        }

        /**
         * Sets the sampling temperature T (default 1): the log-probabilities are divided by T
         * before sampling; 0 takes the most probable token (greedy).
         *
         * @param temperature T, finite and at least 0
         * @return this builder
         */
        public Builder optTemperature(float temperature) {
            this.temperature = temperature;
            return this;
        }

        /**
         * Lets sampling draw only from the k most probable tokens (default 0: no cut); 1 is greedy.
         *
         * @param topK k, at least 0
         * @return this builder
         */
        public Builder optTopK(int topK) {
            this.topK = topK;
            return this;
        }

        /**
         * Lets sampling draw only from the smallest set of most probable tokens whose probability
         * reaches p, nucleus sampling (Holtzman et al., 2020; default 1: no cut).
         *
         * @param topP p, in (0, 1]
         * @return this builder
         */
        public Builder optTopP(float topP) {
            this.topP = topP;
            return this;
        }

        /**
         * Sets the seed of sampling (default 0): the same seed, sentence and options give the same
         * samples, whatever else is in the batch.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the GNMT length penalty exponent α (default 0.6); 0 ranks by raw log-probability.
         *
         * @param alpha α, at least 0
         * @return this builder
         */
        public Builder optLengthPenalty(float alpha) {
            this.lengthPenalty = alpha;
            return this;
        }

        /**
         * Sets the factor a of the maximum output length {@code a · n + b} (default 1.2).
         *
         * @param ratio a, at least 0
         * @return this builder
         */
        public Builder optMaxLengthRatio(float ratio) {
            this.maxLengthRatio = ratio;
            return this;
        }

        /**
         * Sets the constant b of the maximum output length {@code a · n + b} (default 10).
         *
         * @param offset b, at least 0
         * @return this builder
         */
        public Builder optMaxLengthOffset(int offset) {
            this.maxLengthOffset = offset;
            return this;
        }

        /**
         * Bans any token that would repeat an n-gram already in the output, as fairseq's {@code
         * --no-repeat-ngram-size} (default 0, no blocking).
         *
         * @param n the n-gram size, 0 for none
         * @return this builder
         */
        public Builder optNoRepeatNgramSize(int n) {
            this.noRepeatNgramSize = n;
            return this;
        }

        /**
         * Cuts a source longer than the model's maximum length to its first tokens, as fairseq's
         * {@code --truncate-source}, with a logged warning (default false: such a source is refused
         * with an error naming it).
         *
         * @param truncate whether to truncate
         * @return this builder
         */
        public Builder optTruncateSource(boolean truncate) {
            this.truncateSource = truncate;
            return this;
        }

        /**
         * Chooses incremental decoding with cached keys and values (default) or the recomputation
         * of the whole prefix at every step (for tests and benchmarks).
         *
         * @param incremental whether to use the cache
         * @return this builder
         */
        public Builder optIncremental(boolean incremental) {
            this.incremental = incremental;
            return this;
        }

        /**
         * Validates the values and builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException naming the first bad value
         */
        public DecodingOptions build() {
            if (beamSize < 1) {
                throw new IllegalArgumentException("beamSize must be at least 1, got " + beamSize);
            }
            if (!(lengthPenalty >= 0 && Float.isFinite(lengthPenalty))) {
                throw new IllegalArgumentException(
                        "lengthPenalty must be finite and at least 0, got " + lengthPenalty);
            }
            if (!(maxLengthRatio >= 0 && Float.isFinite(maxLengthRatio))) {
                throw new IllegalArgumentException(
                        "maxLengthRatio must be finite and at least 0, got " + maxLengthRatio);
            }
            if (maxLengthOffset < 0) {
                throw new IllegalArgumentException(
                        "maxLengthOffset must be at least 0, got " + maxLengthOffset);
            }
            if (noRepeatNgramSize < 0) {
                throw new IllegalArgumentException(
                        "noRepeatNgramSize must be at least 0, got " + noRepeatNgramSize);
            }
            checkSampling();
            if (nBest < 1) {
                throw new IllegalArgumentException("nBest must be at least 1, got " + nBest);
            }
            int beam = beamSize;
            if (!sample && nBest > beamSize) {
                if (beamSizeSet) {
                    throw new IllegalArgumentException(
                            "nBest ("
                                    + nBest
                                    + ") must be at most beamSize ("
                                    + beamSize
                                    + "): beam search returns its finished beams");
                }
                beam = nBest;
            }
            return new DecodingOptions(this, beam);
        }

        private void checkSampling() {
            if (!(temperature >= 0 && Float.isFinite(temperature))) {
                throw new IllegalArgumentException(
                        "temperature must be finite and at least 0, got " + temperature);
            }
            if (topK < 0) {
                throw new IllegalArgumentException("topK must be at least 0, got " + topK);
            }
            if (!(topP > 0 && topP <= 1)) {
                throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
            }
        }
    }
}
