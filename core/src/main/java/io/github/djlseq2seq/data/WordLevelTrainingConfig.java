package io.github.djlseq2seq.data;

/**
 * The immutable settings of {@link WordLevelTokenizer#train(Iterable, WordLevelTrainingConfig)}.
 */
public final class WordLevelTrainingConfig {

    private final int minCount;
    private final int maxSize;

    private WordLevelTrainingConfig(Builder builder) {
        minCount = builder.minCount;
        maxSize = builder.maxSize;
    }

    /**
     * Returns a builder with the defaults: every word seen at least once, no size limit.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns how often a word must occur in the training text to get an id.
     *
     * @return the minimum count
     */
    public int getMinCount() {
        return minCount;
    }

    /**
     * Returns the largest vocabulary size, special tokens included.
     *
     * @return the maximum size
     */
    public int getMaxSize() {
        return maxSize;
    }

    /** Builds a {@link WordLevelTrainingConfig}; every setting has a default. */
    public static final class Builder {

        private int minCount = 1;
        private int maxSize = Integer.MAX_VALUE;

        private Builder() {}

        /**
         * Sets how often a word must occur in the training text to get an id (default 1).
         *
         * @param minCount at least 1
         * @return this builder
         */
        public Builder optMinCount(int minCount) {
            this.minCount = minCount;
            return this;
        }

        /**
         * Sets the largest vocabulary size, the 4 special tokens included (default no limit); the
         * most frequent words are kept.
         *
         * @param maxSize at least 4
         * @return this builder
         */
        public Builder optMaxSize(int maxSize) {
            this.maxSize = maxSize;
            return this;
        }

        /**
         * Checks the settings and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first bad setting
         */
        public WordLevelTrainingConfig build() {
            if (minCount < 1) {
                throw new IllegalArgumentException("minCount must be at least 1, was " + minCount);
            }
            if (maxSize < SpecialTokens.ALL.size()) {
                throw new IllegalArgumentException(
                        "maxSize must be at least "
                                + SpecialTokens.ALL.size()
                                + ", was "
                                + maxSize);
            }
            return new WordLevelTrainingConfig(this);
        }
    }
}
