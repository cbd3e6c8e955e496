package io.github.djlseq2seq.data;

/** The immutable settings of {@link BpeTokenizer#train(Iterable, BpeTrainingConfig)}. */
public final class BpeTrainingConfig {

    /** The smallest vocabulary: the 4 special tokens and the 256 byte tokens. */
    public static final int MIN_VOCAB_SIZE = SpecialTokens.ALL.size() + 256;

    private final int vocabSize;
    private final int minPairCount;
    private final boolean splitPunctuation;

    private BpeTrainingConfig(Builder builder) {
        vocabSize = builder.vocabSize;
        minPairCount = builder.minPairCount;
        splitPunctuation = builder.splitPunctuation;
    }

    /**
     * Returns a builder with the defaults: 8,000 tokens, pairs seen at least twice, punctuation
     * split.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the configuration with all defaults.
     *
     * @return the default configuration
     */
    public static BpeTrainingConfig defaults() {
        return builder().build();
    }

    /**
     * Returns the largest vocabulary size, special and byte tokens included.
     *
     * @return the vocabulary size
     */
    public int getVocabSize() {
        return vocabSize;
    }

    /**
     * Returns how often a pair must occur in the training text to be merged.
     *
     * @return the minimum pair count
     */
    public int getMinPairCount() {
        return minPairCount;
    }

    /**
     * Tells whether punctuation characters are words of their own, never merged with letters.
     *
     * @return true if punctuation is split
     */
    public boolean isSplitPunctuation() {
        return splitPunctuation;
    }

    /** Builds a {@link BpeTrainingConfig}; every setting has a default. */
    public static final class Builder {

        private int vocabSize = 8000;
        private int minPairCount = 2;
        private boolean splitPunctuation = true;

        private Builder() {}

        /**
         * Sets the largest vocabulary size, special tokens, the 256 byte tokens and the characters
         * of the training text included (default 8,000). Training stops earlier when no pair occurs
         * {@link #optMinPairCount(int) often enough}.
         *
         * @param vocabSize at least {@link #MIN_VOCAB_SIZE}
         * @return this builder
         */
        public Builder optVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        /**
         * Sets how often a pair must occur in the training text to be merged (default 2).
         *
         * @param minPairCount at least 1
         * @return this builder
         */
        public Builder optMinPairCount(int minPairCount) {
            this.minPairCount = minPairCount;
            return this;
        }

        /**
         * Sets whether punctuation characters are words of their own (default true), so that
         * "tierra," is "▁tierra" + "," rather than a token of its own.
         *
         * @param splitPunctuation whether to split punctuation
         * @return this builder
         */
        public Builder optSplitPunctuation(boolean splitPunctuation) {
            this.splitPunctuation = splitPunctuation;
            return this;
        }

        /**
         * Checks the settings and builds the configuration.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first bad setting
         */
        public BpeTrainingConfig build() {
            if (vocabSize < MIN_VOCAB_SIZE) {
                throw new IllegalArgumentException(
                        "vocabSize must be at least " + MIN_VOCAB_SIZE + ", was " + vocabSize);
            }
            if (minPairCount < 1) {
                throw new IllegalArgumentException(
                        "minPairCount must be at least 1, was " + minPairCount);
            }
            return new BpeTrainingConfig(this);
        }
    }
}
