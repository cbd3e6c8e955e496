package io.github.djlseq2seq.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.RandomSampler;
import ai.djl.training.dataset.Sampler;
import ai.djl.util.RandomUtils;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Length bucketing on the bundled Bible train split: reproducible, complete, less padding. */
public class BucketingSamplerTest {

    private ParallelTextDataset train;

    @BeforeClass
    public void prepare() throws IOException {
        train =
                ParallelTextDataset.builder()
                        .setTokenizer(new WordTestTokenizer())
                        .setSampling(64, true)
                        .optTrainFile(BibleCorpus.trainFile())
                        .build();
        train.prepare();
    }

    @AfterClass
    public void close() {
        train.close();
    }

    private static BucketingSampler.Builder sampler(long seed) {
        return BucketingSampler.builder().setBatchSize(64).optSeed(seed);
    }

    private static List<List<Long>> drain(Iterator<List<Long>> batches) {
        List<List<Long>> out = new ArrayList<>();
        batches.forEachRemaining(out::add);
        return out;
    }

    @Test
    public void sameSeedGivesTheSameBatches() {
        BucketingSampler a = sampler(42).build();
        BucketingSampler b = sampler(42).build();
        for (int epoch = 0; epoch < 3; epoch++) {
            List<List<Long>> first = drain(a.sample(train));
            assertEquals(drain(b.sample(train)), first, "epoch " + epoch);
            assertEquals(a.batches(train, epoch), first, "epoch " + epoch);
        }
        assertNotEquals(sampler(43).build().batches(train, 0), a.batches(train, 0));
    }

    @Test
    public void eachEpochHasItsOwnOrderAndAResumedRunRepeatsIt() {
        BucketingSampler sampler = sampler(42).build();
        assertEquals(sampler.getEpoch(), 0);
        List<List<Long>> epoch0 = drain(sampler.sample(train));
        List<List<Long>> epoch1 = drain(sampler.sample(train));
        assertEquals(sampler.getEpoch(), 2);
        assertNotEquals(epoch1, epoch0);
        assertNotEquals(epoch1.get(0), epoch0.get(0));
        // a run resumed at epoch 1 sees exactly the batches of the interrupted run's epoch 1
        BucketingSampler resumed = sampler(42).build();
        resumed.setEpoch(1);
        assertEquals(drain(resumed.sample(train)), epoch1);
    }

    @Test
    public void everyPairIsServedOnceAnEpoch() {
        for (BucketingSampler sampler :
                List.of(sampler(1).build(), sampler(1).setMaxTokens(2000).build())) {
            List<Long> all =
                    sampler.batches(train, 5).stream()
                            .flatMap(List::stream)
                            .sorted()
                            .collect(Collectors.toList());
            List<Long> expected = LongStream.range(0, train.size()).boxed().toList();
            assertEquals(all, expected);
        }
    }

    @Test
    public void batchesRespectTheSizeAndTokenLimits() {
        int maxTokens = 3000;
        List<List<Long>> batches =
                BucketingSampler.builder().setMaxTokens(maxTokens).build().batches(train, 0);
        int singletons = 0;
        for (List<Long> batch : batches) {
            int widest = 0;
            for (long index : batch) {
                widest =
                        Math.max(
                                widest,
                                Math.max(train.sourceLength(index), train.targetLength(index)));
            }
            if (batch.size() == 1) {
                singletons++;
            } else {
                assertTrue(batch.size() * widest <= maxTokens, batch.size() + " × " + widest);
            }
        }
        assertTrue(singletons < 5, singletons + " single-pair batches");
        double mean = (double) train.size() / batches.size();
        assertTrue(mean > 40, "mean batch of " + mean + " pairs");
        assertTrue(sampler(0).build().batches(train, 0).stream().allMatch(b -> b.size() <= 64));
        assertEquals(BucketingSampler.builder().setMaxTokens(maxTokens).build().getBatchSize(), -1);
        assertEquals(sampler(0).build().getBatchSize(), 64);
    }

    @Test
    public void bucketingLowersThePaddingFraction() {
        RandomUtils.RANDOM.setSeed(42);
        Sampler random = new BatchSampler(new RandomSampler(), 64);
        double randomFraction = train.paddingFraction(random.sample(train));
        double bucketed = train.paddingFraction(sampler(42).build().sample(train));
        double tokens =
                train.paddingFraction(
                        BucketingSampler.builder().setMaxTokens(4096).build().sample(train));
        System.out.printf(
                "Bible train, %d pairs, word tokens: padding fraction random %.3f,"
                        + " bucketed (64 pairs) %.3f, bucketed (4096 tokens) %.3f%n",
                train.size(), randomFraction, bucketed, tokens);
        assertTrue(randomFraction > 0.3, "random " + randomFraction);
        assertTrue(bucketed < randomFraction / 4, "bucketed " + bucketed);
        assertTrue(tokens < randomFraction / 3, "token budget " + tokens);
    }

    @Test
    public void otherDatasetsAndIncompleteBuildersAreRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ArrayDataset other =
                    new ArrayDataset.Builder()
                            .setData(manager.zeros(new Shape(2)))
                            .setSampling(1, false)
                            .build();
            expectThrows(IllegalArgumentException.class, () -> sampler(0).build().sample(other));
        }
        expectThrows(IllegalArgumentException.class, () -> BucketingSampler.builder().build());
        expectThrows(IllegalArgumentException.class, () -> sampler(0).setBatchSize(0));
    }
}
