package io.github.djlseq2seq.data;

import ai.djl.basicdataset.nlp.TextDataset;
import ai.djl.modality.nlp.Vocabulary;
import ai.djl.modality.nlp.embedding.TextEmbedding;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Record;
import ai.djl.training.dataset.Sampler;
import ai.djl.translate.TranslateException;
import ai.djl.util.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sentence pairs from a parallel text file, tokenized, as DJL records for teacher-forced training
 * (the specification, docs/SPEC.md §1).
 *
 * <p>Record {@code i} holds data {@code (X' = [START, x…, END], Y_in = [START, y…])} and label
 * {@code (Y_out = [y…, END])}, all 1-D int32. With the default {@link PaddingBatchifier}, a batch
 * holds data {@code (source [B, S], decoderInput [B, T])} and labels {@code (target [B, T])},
 * padded with PAD (0). The ids stay in int arrays until batching, where each batch's three arrays
 * are made at once in the batch's manager (see {@link #getData(NDManager, Sampler,
 * ExecutorService)}); {@link #countTargetTokens(Batch)} gives a batch's non-PAD target count.
 *
 * <pre>{@code
 * ParallelTextDataset train = ParallelTextDataset.builder()
 *         .setTokenizer(tokenizer)                                  // or setTokenizers(src, tgt)
 *         .setSampling(BucketingSampler.builder().setMaxTokens(4096).optSeed(1).build())
 *         .optTrainFile(Path.of("train.tsv"))
 *         .optUsage(Dataset.Usage.TRAIN)
 *         .build();
 * train.prepare();
 * for (Batch batch : trainer.iterateDataset(train)) { ...; batch.close(); }
 * }</pre>
 *
 * <p>Lengths: {@code maxSourceLength} bounds {@code X'} (START and END included), {@code
 * maxTargetLength} bounds {@code Y_in} and {@code Y_out}. Longer pairs follow the {@link
 * OverLengthPolicy} (default {@link OverLengthPolicy#SKIP}), and are counted. {@code optLimit(n)}
 * keeps the first n pairs that pass.
 */
public class ParallelTextDataset extends TextDataset implements AutoCloseable, EpochAware {

    /** The default maximum length of {@code X'} and of {@code Y_in}/{@code Y_out}. */
    public static final int DEFAULT_MAX_LENGTH = 256;

    private static final Logger logger = LoggerFactory.getLogger(ParallelTextDataset.class);

    private final Seq2SeqTokenizer sourceTokenizer;
    private final Seq2SeqTokenizer targetTokenizer;
    private final Path file;
    private final int maxSourceLength;
    private final int maxTargetLength;
    private final OverLengthPolicy overLengthPolicy;

    private List<TextPair> pairs; // the kept pairs, as read
    private int[][] sources; // X' = [START, x…, END]
    private int[][] targets; // Y' = [START, y…, END]: Y_in = Y'[:-1], Y_out = Y'[1:]
    private int overLength; // pairs over a limit: skipped or truncated

    /**
     * Creates a dataset from its builder; see {@link #builder()}.
     *
     * @param builder the builder
     */
    protected ParallelTextDataset(Builder builder) {
        super(builder);
        sourceTokenizer = builder.sourceTokenizer;
        targetTokenizer = builder.targetTokenizer;
        file = builder.fileFor(usage);
        maxSourceLength = builder.maxSourceLength;
        maxTargetLength = builder.maxTargetLength;
        overLengthPolicy = builder.overLengthPolicy;
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
     * Reads and tokenizes the file of this dataset's usage; does nothing the second time.
     *
     * @throws IOException if the file is missing or malformed
     */
    @Override
    public void prepare() throws IOException {
        prepare(null);
    }

    /**
     * Reads and tokenizes the file of this dataset's usage; does nothing the second time.
     *
     * @param progress reports tokenization progress, may be null
     * @throws IOException if the file is missing or malformed
     */
    @Override
    public void prepare(Progress progress) throws IOException {
        if (prepared) {
            return;
        }
        if (file == null) {
            throw new IllegalStateException(
                    "no file for usage "
                            + usage
                            + ": set it with optTrainFile, optValidationFile or optTestFile");
        }
        String name = file.toString();
        List<TextPair> all = ParallelTsvReader.read(file);
        EncodedPairs encoded =
                EncodedPairs.encode(
                        all,
                        sourceTokenizer,
                        targetTokenizer,
                        maxSourceLength,
                        maxTargetLength,
                        overLengthPolicy,
                        limit,
                        progress);
        pairs = encoded.pairs;
        sources = encoded.sources;
        targets = encoded.targets;
        overLength = encoded.overLength;
        String message =
                String.format(
                        "%s (%s): %d pairs; %d over %d source / %d target tokens, %s",
                        name,
                        usage,
                        pairs.size(),
                        overLength,
                        maxSourceLength,
                        maxTargetLength,
                        overLengthPolicy == OverLengthPolicy.SKIP ? "skipped" : "truncated");
        if (overLength > 0) {
            logger.warn(message);
        } else {
            logger.info(message);
        }
        prepared = true;
    }

    /**
     * Returns record {@code index}: data {@code (X' [S], Y_in [T])}, label {@code (Y_out [T])},
     * int32, created in {@code manager}.
     *
     * @param manager the manager of the new arrays (under DJL's loader, the batch's)
     * @param index the record index
     * @return the record
     */
    @Override
    public Record get(NDManager manager, long index) {
        int i = checkIndex(index);
        int[] y = targets[i];
        NDArray source = manager.create(sources[i]); // [S] START, x…, END
        NDArray decoderInput = manager.create(Arrays.copyOfRange(y, 0, y.length - 1)); // [T]
        NDArray target = manager.create(Arrays.copyOfRange(y, 1, y.length)); // [T] y…, END
        return new Record(new NDList(source, decoderInput), new NDList(target));
    }

    /**
     * Returns the batches of this dataset. With the default {@link PaddingBatchifier}s and no
     * pipeline, each batch's arrays are built straight from the ids (the same batches, faster);
     * otherwise DJL's generic loader runs, record by record.
     *
     * @param manager the manager under which each batch gets its own
     * @param sampler the sampler
     * @param executor prefetching threads, or null
     * @return the batches
     * @throws IOException if the file cannot be read
     * @throws TranslateException if a batch cannot be made
     */
    @Override
    public Iterable<Batch> getData(NDManager manager, Sampler sampler, ExecutorService executor)
            throws IOException, TranslateException {
        prepare();
        if (dataBatchifier instanceof PaddingBatchifier
                && labelBatchifier instanceof PaddingBatchifier
                && pipeline == null
                && targetPipeline == null) {
            return new PaddedBatchIterable(
                    this, manager, sampler, dataBatchifier, executor, prefetchNumber, device);
        }
        return super.getData(manager, sampler, executor);
    }

    /**
     * Sets the epoch of the next iteration on this dataset's sampler, if its order depends on the
     * epoch (a {@link BucketingSampler}); otherwise does nothing.
     *
     * @param epoch the epoch, from 0
     */
    @Override
    public void setEpoch(int epoch) {
        if (sampler instanceof EpochAware aware) {
            aware.setEpoch(epoch);
        }
    }

    /** {@inheritDoc} */
    @Override
    protected long availableSize() {
        checkPrepared();
        return sources.length;
    }

    /**
     * Returns the length of {@code X'} (START and END included), the record's S.
     *
     * @param index the record index
     * @return the source length
     */
    public int sourceLength(long index) {
        return sources[checkIndex(index)].length;
    }

    /**
     * Returns the length of {@code Y_in} and of {@code Y_out}, the record's T: the number of target
     * tokens that count in the loss.
     *
     * @param index the record index
     * @return the target length
     */
    public int targetLength(long index) {
        return targets[checkIndex(index)].length - 1;
    }

    /** Returns {@code X'} itself, for {@link PaddedBatchIterable}; not to be changed. */
    int[] sourceRow(long index) {
        return sources[checkIndex(index)];
    }

    /** Returns {@code Y'} itself, for {@link PaddedBatchIterable}; not to be changed. */
    int[] targetRow(long index) {
        return targets[checkIndex(index)];
    }

    /**
     * Returns a copy of {@code X'} for a record.
     *
     * @param index the record index
     * @return {@code [START, x…, END]}
     */
    public int[] getSourceIds(long index) {
        return sources[checkIndex(index)].clone();
    }

    /**
     * Returns a copy of {@code Y' = [START, y…, END]} for a record; {@code Y_in} is all but its
     * last id, {@code Y_out} all but its first.
     *
     * @param index the record index
     * @return {@code [START, y…, END]}
     */
    public int[] getTargetIds(long index) {
        return targets[checkIndex(index)].clone();
    }

    /**
     * Returns the pair as read from the file (before tokenization and truncation).
     *
     * @param index the record index
     * @return the text pair
     */
    public TextPair getPair(long index) {
        return pairs.get(checkIndex(index));
    }

    /**
     * Returns how many pairs were over the maximum lengths: skipped or truncated, according to
     * {@link #getOverLengthPolicy()}.
     *
     * @return the count
     */
    public int getOverLengthCount() {
        checkPrepared();
        return overLength;
    }

    /**
     * Returns the policy for pairs over the maximum lengths.
     *
     * @return the policy
     */
    public OverLengthPolicy getOverLengthPolicy() {
        return overLengthPolicy;
    }

    /**
     * Returns the tokenizer of the source or of the target side.
     *
     * @param source true for the source side
     * @return the tokenizer
     */
    public Seq2SeqTokenizer getTokenizer(boolean source) {
        return source ? sourceTokenizer : targetTokenizer;
    }

    /**
     * Counts the target tokens of a batch (its non-PAD {@code Y_out} positions) from the record
     * lengths, without reading any array: the divisor of a per-token mean loss. Uses {@link
     * Batch#getIndices()}, which are this dataset's indices when the batch came from it.
     *
     * @param batch a batch from this dataset
     * @return the number of target tokens
     */
    public long countTargetTokens(Batch batch) {
        List<?> indices = batch.getIndices();
        if (indices == null) {
            throw new IllegalArgumentException("the batch does not carry its record indices");
        }
        long tokens = 0;
        for (Object index : indices) {
            tokens += targetLength(((Number) index).longValue());
        }
        return tokens;
    }

    /**
     * Returns the fraction of PAD positions that the given batches would have in their source and
     * target arrays together, computed from the lengths.
     *
     * @param batches batches of record indices, e.g. from {@link
     *     ai.djl.training.dataset.Sampler#sample}
     * @return padding positions divided by all positions
     */
    public double paddingFraction(Iterator<List<Long>> batches) {
        long real = 0;
        long total = 0;
        while (batches.hasNext()) {
            List<Long> batch = batches.next();
            int s = 0;
            int t = 0;
            for (long index : batch) {
                s = Math.max(s, sourceLength(index));
                t = Math.max(t, targetLength(index));
                real += sourceLength(index) + targetLength(index);
            }
            total += (long) batch.size() * (s + t);
        }
        return total == 0 ? 0 : 1.0 - (double) real / total;
    }

    /**
     * Returns the tokenizer's vocabulary for the source or target side.
     *
     * @param source true for the source side
     * @return the vocabulary
     */
    @Override
    public Vocabulary getVocabulary(boolean source) {
        return getTokenizer(source).getVocabulary();
    }

    /**
     * Returns a side of the pair as read.
     *
     * @param index the record index
     * @param source true for the source side
     * @return the text
     */
    @Override
    public String getRawText(long index, boolean source) {
        TextPair pair = getPair(index);
        return source ? pair.source() : pair.target();
    }

    /**
     * Returns the tokens of a side, START and END left out, after truncation if any.
     *
     * @param index the record index
     * @param source true for the source side
     * @return the tokens
     */
    @Override
    public List<String> getProcessedText(long index, boolean source) {
        int[] ids = source ? sources[checkIndex(index)] : targets[checkIndex(index)];
        Vocabulary vocabulary = getVocabulary(source);
        List<String> tokens = new ArrayList<>(ids.length - 2);
        for (int k = 1; k < ids.length - 1; k++) {
            tokens.add(vocabulary.getToken(ids[k]));
        }
        return tokens;
    }

    /**
     * Not supported: the model embeds the ids itself.
     *
     * @param source unused
     * @return never
     */
    @Override
    public TextEmbedding getTextEmbedding(boolean source) {
        throw new UnsupportedOperationException(
                "ParallelTextDataset yields token ids; the model holds the embeddings");
    }

    /** Closes the (empty) manager that {@link TextDataset} creates for every dataset. */
    @Override
    public void close() {
        manager.close();
    }

    private int checkIndex(long index) {
        checkPrepared();
        if (index < 0 || index >= sources.length) {
            throw new IndexOutOfBoundsException(
                    "index " + index + " outside [0, " + sources.length + ")");
        }
        return (int) index;
    }

    private void checkPrepared() {
        if (!prepared) {
            throw new IllegalStateException("call prepare() before reading the dataset");
        }
    }

    /** Builds a {@link ParallelTextDataset}; a tokenizer and the sampling are required. */
    public static final class Builder extends TextDataset.Builder<Builder> {

        private Seq2SeqTokenizer sourceTokenizer;
        private Seq2SeqTokenizer targetTokenizer;
        private Path trainFile;
        private Path validationFile;
        private Path testFile;
        private int maxSourceLength = DEFAULT_MAX_LENGTH;
        private int maxTargetLength = DEFAULT_MAX_LENGTH;
        private OverLengthPolicy overLengthPolicy = OverLengthPolicy.SKIP;

        Builder() {
            dataBatchifier = new PaddingBatchifier();
            labelBatchifier = new PaddingBatchifier();
        }

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets one tokenizer for both sides (a shared vocabulary).
         *
         * @param tokenizer the tokenizer
         * @return this builder
         */
        public Builder setTokenizer(Seq2SeqTokenizer tokenizer) {
            return setTokenizers(tokenizer, tokenizer);
        }

        /**
         * Sets the source and the target tokenizer (may be the same object).
         *
         * @param source the source-side tokenizer
         * @param target the target-side tokenizer
         * @return this builder
         */
        public Builder setTokenizers(Seq2SeqTokenizer source, Seq2SeqTokenizer target) {
            sourceTokenizer = Objects.requireNonNull(source, "source tokenizer");
            targetTokenizer = Objects.requireNonNull(target, "target tokenizer");
            return this;
        }

        /**
         * Sets the file read for {@code Usage.TRAIN}.
         *
         * @param file a {@code .tsv} or {@code .tsv.gz} file
         * @return this builder
         */
        public Builder optTrainFile(Path file) {
            trainFile = file;
            return this;
        }

        /**
         * Sets the file read for {@code Usage.VALIDATION}.
         *
         * @param file a {@code .tsv} or {@code .tsv.gz} file
         * @return this builder
         */
        public Builder optValidationFile(Path file) {
            validationFile = file;
            return this;
        }

        /**
         * Sets the file read for {@code Usage.TEST}.
         *
         * @param file a {@code .tsv} or {@code .tsv.gz} file
         * @return this builder
         */
        public Builder optTestFile(Path file) {
            testFile = file;
            return this;
        }

        /**
         * Sets the maximum length of {@code X'}, START and END included (default 256, at least 3).
         *
         * @param length the maximum S
         * @return this builder
         */
        public Builder optMaxSourceLength(int length) {
            maxSourceLength = length;
            return this;
        }

        /**
         * Sets the maximum length of {@code Y_in} and {@code Y_out} (default 256, at least 2).
         *
         * @param length the maximum T
         * @return this builder
         */
        public Builder optMaxTargetLength(int length) {
            maxTargetLength = length;
            return this;
        }

        /**
         * Sets what happens to pairs over the maximum lengths (default {@link
         * OverLengthPolicy#SKIP}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder optOverLengthPolicy(OverLengthPolicy policy) {
            overLengthPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Builds the dataset; call {@link ParallelTextDataset#prepare()} before use.
         *
         * @return the dataset
         */
        public ParallelTextDataset build() {
            if (sourceTokenizer == null) {
                throw new IllegalArgumentException("a tokenizer is required: call setTokenizer");
            }
            if (maxSourceLength < 3) {
                throw new IllegalArgumentException(
                        "maxSourceLength must be at least 3 (START, a token, END): "
                                + maxSourceLength);
            }
            if (maxTargetLength < 2) {
                throw new IllegalArgumentException(
                        "maxTargetLength must be at least 2 (a token and END): " + maxTargetLength);
            }
            return new ParallelTextDataset(this);
        }

        Path fileFor(Usage usage) {
            switch (usage) {
                case TRAIN:
                    return trainFile;
                case VALIDATION:
                    return validationFile;
                case TEST:
                default:
                    return testFile;
            }
        }
    }
}
