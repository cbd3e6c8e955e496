package io.github.djlseq2seq.data;

import static io.github.djlseq2seq.data.SpecialTokens.END_ID;
import static io.github.djlseq2seq.data.SpecialTokens.PAD_ID;
import static io.github.djlseq2seq.data.SpecialTokens.START_ID;
import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertSame;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.modality.nlp.Vocabulary;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.training.dataset.Record;
import ai.djl.translate.Pipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Records and batches follow the specification, docs/SPEC.md §1, exactly: X', Y_in and Y_out,
 * padded with PAD at the end.
 */
public class ParallelTextDatasetTest {

    /** Pairs of many lengths, so batches need padding; the last is 12 words a side. */
    private static final String TEXT =
            "r1\ta\tA\n"
                    + "r2\ta b c\tA B\n"
                    + "r3\ta b c d e\tA B C D E F G\n"
                    + "r4\tb\tB C\n"
                    + "r5\tc d\tC\n"
                    + "r6\te e e e\tE E E E E E\n"
                    + "r7\ta c e\tA C E\n"
                    + "r8\td\tD D D D\n"
                    + "r9\ta b c d e f g h i j k l\tA B C D E F G H I J K L\n";

    private Path file;

    @BeforeClass
    public void writeFile() throws IOException {
        file = Files.createTempFile("parallel-dataset-test", ".tsv");
        file.toFile().deleteOnExit();
        Files.write(file, TEXT.getBytes(StandardCharsets.UTF_8));
    }

    private ParallelTextDataset.Builder builder(WordTestTokenizer tokenizer) {
        return ParallelTextDataset.builder()
                .setTokenizer(tokenizer)
                .setSampling(3, false)
                .optTrainFile(file);
    }

    @Test
    public void recordsAreShiftedExactly() throws IOException {
        WordTestTokenizer tokenizer = new WordTestTokenizer();
        try (ParallelTextDataset dataset = builder(tokenizer).build();
                NDManager manager = NDManager.newBaseManager()) {
            dataset.prepare();
            assertEquals(dataset.size(), 9);
            for (long i = 0; i < dataset.size(); i++) {
                TextPair pair = dataset.getPair(i);
                int[] x = tokenizer.encode(pair.source());
                int[] y = tokenizer.encode(pair.target());
                Record record = dataset.get(manager, i);
                int[] source = record.getData().get(0).toIntArray();
                int[] in = record.getData().get(1).toIntArray();
                int[] out = record.getLabels().singletonOrThrow().toIntArray();
                assertEquals(source, concat(new int[] {START_ID}, x, new int[] {END_ID}));
                assertEquals(in, concat(new int[] {START_ID}, y));
                assertEquals(out, concat(y, new int[] {END_ID}));
                assertEquals(dataset.sourceLength(i), source.length);
                assertEquals(dataset.targetLength(i), out.length);
                assertEquals(record.getData().get(0).getDataType(), DataType.INT32);
            }
            // r3 spelled out; ids in order of first use: a 4, A 5, b 6, c 7, B 8, d 9, e 10,
            // C 11 … G 15
            Record r3 = dataset.get(manager, 2);
            assertEquals(r3.getData().get(0).toIntArray(), new int[] {2, 4, 6, 7, 9, 10, 3});
            assertEquals(r3.getData().get(1).toIntArray(), new int[] {2, 5, 8, 11, 12, 13, 14, 15});
            assertEquals(
                    r3.getLabels().head().toIntArray(), new int[] {5, 8, 11, 12, 13, 14, 15, 3});
        }
    }

    @Test
    public void batchesArePaddedAtTheEndAndKeepTheShift() throws Exception {
        try (ParallelTextDataset dataset =
                        builder(new WordTestTokenizer())
                                .setSampling(
                                        BucketingSampler.builder()
                                                .setBatchSize(4)
                                                .optSeed(7)
                                                .optPoolSize(5)
                                                .build())
                                .build();
                NDManager manager = NDManager.newBaseManager()) {
            dataset.prepare();
            Set<Long> seen = new HashSet<>();
            int padded = 0;
            for (Batch batch : dataset.getData(manager)) {
                NDArray source = batch.getData().get(0);
                NDArray in = batch.getData().get(1);
                NDArray out = batch.getLabels().singletonOrThrow();
                int b = batch.getSize();
                long s = source.getShape().get(1);
                long t = in.getShape().get(1);
                assertEquals(source.getShape(), new Shape(b, s));
                assertEquals(out.getShape(), new Shape(b, t));
                assertEquals(in.getDataType(), DataType.INT32);
                // every array lives in the batch's manager: closing the batch frees it
                for (NDArray array : new NDArray[] {source, in, out}) {
                    assertSame(array.getManager(), batch.getManager());
                }
                int[][] sourceRows = rows(source);
                int[][] inRows = rows(in);
                int[][] outRows = rows(out);
                long tokens = 0;
                for (int r = 0; r < b; r++) {
                    long index = (Long) batch.getIndices().get(r);
                    assertTrue(seen.add(index), "record served twice: " + index);
                    int length = dataset.targetLength(index);
                    int sourceLength = dataset.sourceLength(index);
                    checkPaddedAtEnd(sourceRows[r], sourceLength);
                    checkPaddedAtEnd(inRows[r], length);
                    checkPaddedAtEnd(outRows[r], length);
                    padded += (int) (s - sourceLength) + (int) (t - length);
                    assertEquals(sourceRows[r][0], START_ID);
                    assertEquals(sourceRows[r][sourceLength - 1], END_ID);
                    assertEquals(inRows[r][0], START_ID); // Y_in[0] is START
                    assertEquals(outRows[r][length - 1], END_ID); // last non-PAD of Y_out: END
                    assertEquals( // Y_in[1:] == Y_out[:-1]
                            Arrays.copyOfRange(inRows[r], 1, length),
                            Arrays.copyOfRange(outRows[r], 0, length - 1));
                    assertEquals(
                            Arrays.copyOfRange(sourceRows[r], 0, sourceLength),
                            dataset.getSourceIds(index));
                    tokens += length;
                }
                assertEquals(dataset.countTargetTokens(batch), tokens);
                assertEquals(PaddingBatchifier.countNonPad(out), tokens);
                batch.close();
                assertTrue(source.isReleased() && in.isReleased() && out.isReleased());
            }
            assertEquals(seen.size(), 9);
            assertTrue(padded > 0, "the batches should need some padding");
        }
    }

    @Test
    public void directBatchesEqualRecordByRecordBatches() throws Exception {
        WordTestTokenizer tokenizer = new WordTestTokenizer();
        BucketingSampler.Builder sampler = BucketingSampler.builder().setBatchSize(4).optSeed(3);
        try (ParallelTextDataset direct = builder(tokenizer).setSampling(sampler.build()).build();
                ParallelTextDataset generic = // a pipeline sends batches through DJL's loader
                        builder(tokenizer)
                                .setSampling(sampler.build())
                                .optPipeline(new Pipeline())
                                .build();
                NDManager manager = NDManager.newBaseManager()) {
            Iterable<Batch> fast = direct.getData(manager);
            Iterable<Batch> slow = generic.getData(manager);
            assertTrue(fast instanceof PaddedBatchIterable);
            assertFalse(slow instanceof PaddedBatchIterable);
            Iterator<Batch> slowBatches = slow.iterator();
            int batches = 0;
            for (Batch a : fast) {
                Batch b = slowBatches.next();
                assertEquals(a.getIndices(), b.getIndices());
                assertEquals(a.getSize(), b.getSize());
                NDList left = new NDList(a.getData()).addAll(a.getLabels());
                NDList right = new NDList(b.getData()).addAll(b.getLabels());
                for (int k = 0; k < 3; k++) {
                    assertEquals(left.get(k).getShape(), right.get(k).getShape());
                    assertEquals(left.get(k).getDataType(), right.get(k).getDataType());
                    assertEquals(left.get(k).toIntArray(), right.get(k).toIntArray());
                }
                a.close();
                b.close();
                batches++;
            }
            assertFalse(slowBatches.hasNext());
            assertEquals(batches, 3); // 9 pairs, 4 a batch, one pool
        }
    }

    @Test
    public void prefetchingThreadsServeEveryPairOnce() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(2);
        try (ParallelTextDataset dataset = builder(new WordTestTokenizer()).optLimit(8).build();
                NDManager manager = NDManager.newBaseManager()) {
            List<Long> served = new ArrayList<>();
            for (Batch batch : dataset.getData(manager, executor)) {
                for (Object index : batch.getIndices()) {
                    served.add((Long) index);
                }
                assertEquals(batch.getLabels().head().getShape().get(0), batch.getSize());
                batch.close();
            }
            served.sort(null);
            assertEquals(served, List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L));
        } finally {
            executor.shutdownNow();
        }
    }

    /** Tokens first, then only PAD: no PAD inside, none missing at the end. */
    private static void checkPaddedAtEnd(int[] row, int length) {
        for (int k = 0; k < row.length; k++) {
            if (k < length) {
                assertTrue(row[k] != PAD_ID, "PAD inside the sequence at " + k);
            } else {
                assertEquals(row[k], PAD_ID, "not PAD after the end at " + k);
            }
        }
    }

    private static int[][] rows(NDArray array) {
        int width = Math.toIntExact(array.getShape().get(1));
        int[] flat = array.toIntArray();
        int[][] rows = new int[flat.length / width][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.copyOfRange(flat, r * width, (r + 1) * width);
        }
        return rows;
    }

    @Test
    public void overLengthPairsAreSkippedAndCounted() throws IOException {
        // r3 (7 target words), r6 (6) and r9 (12 a side) do not fit Y_out of 6 or X' of 7
        try (ParallelTextDataset dataset =
                builder(new WordTestTokenizer())
                        .optMaxSourceLength(7)
                        .optMaxTargetLength(6)
                        .build()) {
            dataset.prepare();
            assertEquals(dataset.getOverLengthCount(), 3);
            assertEquals(dataset.size(), 6);
            for (long i = 0; i < dataset.size(); i++) {
                assertFalse(
                        Set.of("r3", "r6", "r9").contains(dataset.getPair(i).reference()),
                        dataset.getPair(i).reference());
            }
        }
    }

    @Test
    public void overLengthPairsAreTruncatedKeepingEnd() throws IOException {
        WordTestTokenizer tokenizer = new WordTestTokenizer();
        try (ParallelTextDataset dataset =
                builder(tokenizer)
                        .optMaxSourceLength(7)
                        .optMaxTargetLength(6)
                        .optOverLengthPolicy(OverLengthPolicy.TRUNCATE)
                        .build()) {
            dataset.prepare();
            assertEquals(dataset.getOverLengthCount(), 3);
            assertEquals(dataset.size(), 9);
            int[] x = tokenizer.encode("a b c d e f g h i j k l");
            int[] y = tokenizer.encode("A B C D E F G H I J K L");
            assertEquals(dataset.getSourceIds(8), concat(new int[] {START_ID}, slice(x, 5), END));
            assertEquals(dataset.getTargetIds(8), concat(new int[] {START_ID}, slice(y, 5), END));
            assertEquals(dataset.targetLength(8), 6);
            assertEquals(dataset.getTargetIds(5).length, 7); // r6: 6 target words cut to 5
        }
    }

    private static final int[] END = {END_ID};

    private static int[] slice(int[] ids, int length) {
        return Arrays.copyOf(ids, length);
    }

    @Test
    public void limitKeepsTheFirstPairs() throws IOException {
        try (ParallelTextDataset dataset = builder(new WordTestTokenizer()).optLimit(4).build()) {
            dataset.prepare();
            assertEquals(dataset.size(), 4);
            assertEquals(dataset.getPair(3).reference(), "r4");
        }
    }

    @Test
    public void usageSelectsTheFile() throws IOException {
        WordTestTokenizer tokenizer = new WordTestTokenizer();
        try (ParallelTextDataset dev =
                ParallelTextDataset.builder()
                        .setTokenizer(tokenizer)
                        .setSampling(8, false)
                        .optUsage(Usage.VALIDATION)
                        .optTrainFile(file) // not this one
                        .optValidationFile(BibleCorpus.devFile())
                        .build()) {
            dev.prepare();
            // the bundled dev split: 1,231 pairs, the last Revelation 22:21 (its glossary, which
            // the source had appended, was cut on 2026-12-01)
            assertEquals(dev.getOverLengthCount(), 0);
            assertEquals(dev.size(), 1_231);
            assertEquals(dev.getPair(1_230).reference(), "Revelation of John 22:21");
        }
        try (ParallelTextDataset test =
                ParallelTextDataset.builder()
                        .setTokenizer(tokenizer)
                        .setSampling(8, false)
                        .optUsage(Usage.TEST)
                        .build()) {
            IllegalStateException e = expectThrows(IllegalStateException.class, test::prepare);
            assertTrue(e.getMessage().contains("optTestFile"), e.getMessage());
        }
    }

    @Test
    public void sidesMayHaveTheirOwnTokenizer() throws IOException {
        WordTestTokenizer source = new WordTestTokenizer();
        WordTestTokenizer target = new WordTestTokenizer();
        try (ParallelTextDataset dataset =
                ParallelTextDataset.builder()
                        .setTokenizers(source, target)
                        .setSampling(3, false)
                        .optTrainFile(file)
                        .build()) {
            dataset.prepare();
            // each vocabulary starts after the 4 special tokens: "a" and "A" are both id 4
            assertEquals(dataset.getSourceIds(0), new int[] {START_ID, 4, END_ID});
            assertEquals(dataset.getTargetIds(0), new int[] {START_ID, 4, END_ID});
            Vocabulary vocabulary = dataset.getVocabulary(false);
            assertEquals(vocabulary.getToken(4), "A");
            assertEquals(dataset.getProcessedText(1, true), List.of("a", "b", "c"));
            assertEquals(dataset.getRawText(1, false), "A B");
        }
    }

    @Test
    public void aTokenizerEmittingPadIsRejected() {
        Seq2SeqTokenizer broken =
                new WordTestTokenizer() {
                    @Override
                    public synchronized int[] encode(String text) {
                        return new int[] {5, PAD_ID};
                    }
                };
        ParallelTextDataset dataset =
                ParallelTextDataset.builder()
                        .setTokenizer(broken)
                        .setSampling(3, false)
                        .optTrainFile(file)
                        .build();
        IllegalStateException e = expectThrows(IllegalStateException.class, dataset::prepare);
        assertTrue(e.getMessage().contains("PAD"), e.getMessage());
        dataset.close();
    }

    @Test
    public void builderNamesWhatIsMissing() {
        IllegalArgumentException noTokenizer =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> ParallelTextDataset.builder().setSampling(3, false).build());
        assertTrue(noTokenizer.getMessage().contains("tokenizer"), noTokenizer.getMessage());
        NullPointerException noSampler =
                expectThrows(
                        NullPointerException.class,
                        () ->
                                ParallelTextDataset.builder()
                                        .setTokenizer(new WordTestTokenizer())
                                        .build());
        assertTrue(noSampler.getMessage().contains("sampler"), noSampler.getMessage());
        expectThrows(
                IllegalArgumentException.class,
                () ->
                        builder(new WordTestTokenizer())
                                .optMaxTargetLength(1) // no room for a token and END
                                .build());
    }

    @Test
    public void unbatchifyGivesTheRecordsBack() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PaddingBatchifier batchifier = new PaddingBatchifier();
            NDList[] records = {
                new NDList(manager.create(new int[] {2, 5, 3}), manager.create(new int[] {2})),
                new NDList(manager.create(new int[] {2, 3}), manager.create(new int[] {2, 7, 8}))
            };
            NDList batch = batchifier.batchify(records);
            assertEquals(batch.get(0).toIntArray(), new int[] {2, 5, 3, 2, 3, 0});
            assertEquals(batch.get(1).toIntArray(), new int[] {2, 0, 0, 2, 7, 8});
            NDList[] back = batchifier.unbatchify(batch);
            for (int i = 0; i < records.length; i++) {
                for (int j = 0; j < 2; j++) {
                    assertEquals(back[i].get(j).toIntArray(), records[i].get(j).toIntArray());
                }
            }
        }
    }

    private static int[] concat(int[]... parts) {
        int[] out = new int[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
