package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.NormPlacement;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.testng.annotations.Test;

/** Sampling: seeded and reproducible, its limits equal greedy, its cuts respected. */
public class SamplingTest {

    private static DecodingOptions.Builder sampling() {
        return DecodingOptions.builder().optSample(true).optMaxLengthOffset(8);
    }

    private static List<Hypothesis> decode(DecodingFixture f, DecodingOptions o, NDArray source) {
        return SequenceDecoder.of(f.block, o).decode(f.ps, source);
    }

    private static String tokens(List<Hypothesis> hypotheses) {
        StringBuilder out = new StringBuilder();
        for (Hypothesis h : hypotheses) {
            out.append(Arrays.toString(h.getTokens())).append(' ');
        }
        return out.toString();
    }

    @Test
    public void theSameSeedRepeatsAndAnotherDiffers() {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.POST, 1);
                NDManager batch = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(batch, new Random(1), 5, 3, 7, 4);
            DecodingOptions seven = sampling().optSeed(7).build();
            String first = tokens(decode(f, seven, source));
            assertEquals(tokens(decode(f, seven, source)), first);
            // a random model's distribution is broad: four sentences of one seed repeat another's
            // only by a fluke
            assertTrue(!tokens(decode(f, sampling().optSeed(8).build(), source)).equals(first));
            // the scores are the model's log-probabilities of the samples
            List<Hypothesis> samples = decode(f, seven, source);
            for (int s = 0; s < 4; s++) {
                NDArray row = source.get(s + ":" + (s + 1));
                int[] t = samples.get(s).getTokens();
                assertEquals(samples.get(s).getScore(), f.modelScore(row, t), 1e-4);
            }
        }
    }

    @Test
    public void aSentenceSamplesTheSameWhateverElseIsInTheBatch() {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.PRE, 2);
                NDManager batch = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(batch, new Random(2), 5, 3, 7, 4);
            DecodingOptions options = sampling().optSeed(3).optNBest(2).build();
            SequenceDecoder decoder = SequenceDecoder.of(f.block, options);
            List<List<Hypothesis>> all = decoder.decodeNBest(f.ps, source, null);
            // sentence 2 alone (no padding), and the batch reversed
            List<List<Hypothesis>> alone = decoder.decodeNBest(f.ps, source.get("2:3, 0:9"), null);
            NDArray reversed = source.get(new NDIndex("{}", batch.create(new long[] {3, 2, 1, 0})));
            List<List<Hypothesis>> back = decoder.decodeNBest(f.ps, reversed, null);
            for (int r = 0; r < 2; r++) {
                int[] expected = all.get(2).get(r).getTokens();
                assertEquals(alone.get(0).get(r).getTokens(), expected);
                assertEquals(back.get(1).get(r).getTokens(), expected);
                assertEquals(back.get(3).get(r).getTokens(), all.get(0).get(r).getTokens());
            }
        }
    }

    @Test
    public void topKOneTemperatureZeroAndATinyNucleusAreGreedy() {
        for (int seed = 0; seed < 3; seed++) {
            try (DecodingFixture f = new DecodingFixture(NormPlacement.POST, 10 + seed);
                    NDManager batch = f.manager.newSubManager()) {
                NDArray source = DecodingFixture.sources(batch, new Random(seed), 6, 2, 8);
                List<Hypothesis> greedy =
                        decode(f, sampling().optSample(false).optBeamSize(1).build(), source);
                DecodingOptions[] limits = {
                    sampling().optTopK(1).optTemperature(1.5f).optSeed(seed).build(),
                    sampling().optTemperature(0f).optSeed(seed).build(),
                    sampling().optTopP(1e-6f).optSeed(seed).build()
                };
                for (DecodingOptions o : limits) {
                    List<Hypothesis> sampled = decode(f, o, source);
                    for (int s = 0; s < 3; s++) {
                        String where = o + ", sentence " + s;
                        assertEquals(sampled.get(s).getTokens(), greedy.get(s).getTokens(), where);
                        assertEquals(
                                sampled.get(s).getScore(), greedy.get(s).getScore(), 1e-5, where);
                    }
                }
            }
        }
    }

    /** Every sampled token lies in the top k, and in the top-p nucleus, of its step. */
    @Test
    public void samplesStayInsideTheCuts() {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.PRE, 4);
                NDManager batch = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(batch, new Random(4), 6, 4, 9, 5);
            for (long seed = 0; seed < 3; seed++) {
                DecodingOptions topK = sampling().optTopK(3).optSeed(seed).optNBest(3).build();
                DecodingOptions topP = sampling().optTopP(0.5f).optSeed(seed).optNBest(3).build();
                checkCut(f, source, topK, 3, 1);
                checkCut(f, source, topP, Integer.MAX_VALUE, 0.5);
            }
        }
    }

    private static void checkCut(
            DecodingFixture f, NDArray source, DecodingOptions o, int k, double p) {
        List<List<Hypothesis>> lists =
                SequenceDecoder.of(f.block, o).decodeNBest(f.ps, source, null);
        for (int s = 0; s < lists.size(); s++) {
            for (Hypothesis h : lists.get(s)) {
                int[] tokens = h.getTokens();
                double[][] steps = f.teacherForced(source.get(s + ":" + (s + 1)), tokens);
                for (int t = 0; t < tokens.length; t++) {
                    double[] row = steps[t].clone();
                    row[SpecialTokens.PAD_ID] = Double.NEGATIVE_INFINITY;
                    row[SpecialTokens.START_ID] = Double.NEGATIVE_INFINITY;
                    double mine = row[tokens[t]];
                    int rank = 0;
                    double above = 0; // probability of the tokens ranked before it
                    for (double v : row) {
                        if (v > mine) {
                            rank++;
                            above += Math.exp(v);
                        }
                    }
                    String where = o + ", sentence " + s + ", step " + t + ", " + h;
                    assertTrue(rank < k, where + ": rank " + rank);
                    assertTrue(above < p + 1e-6, where + ": " + above + " above it");
                }
            }
        }
    }

    @Test
    public void drawsFollowTheTemperedAndCutDistribution() {
        float[] logProbs = {
            (float) Math.log(0.5),
            (float) Math.log(0.3),
            (float) Math.log(0.2),
            Float.NEGATIVE_INFINITY
        };
        assertFrequencies(sampling().build(), logProbs, 0.5, 0.3, 0.2, 0);
        // the nucleus of p = 0.6 is {0, 1}: 0.5 / 0.8 and 0.3 / 0.8
        assertFrequencies(sampling().optTopP(0.6f).build(), logProbs, 0.625, 0.375, 0, 0);
        assertFrequencies(sampling().optTopK(2).build(), logProbs, 0.625, 0.375, 0, 0);
        // T = 2: p ∝ sqrt(p), sqrt(.5) : sqrt(.3) : sqrt(.2)
        double a = Math.sqrt(0.5);
        double b = Math.sqrt(0.3);
        double c = Math.sqrt(0.2);
        double z = a + b + c;
        assertFrequencies(sampling().optTemperature(2f).build(), logProbs, a / z, b / z, c / z, 0);
        assertFrequencies(sampling().optTemperature(0f).build(), logProbs, 1, 0, 0, 0);
    }

    private static void assertFrequencies(
            DecodingOptions options, float[] logProbs, double... expected) {
        Random random = new Random(42);
        int draws = 20000;
        int[] counts = new int[logProbs.length];
        for (int i = 0; i < draws; i++) {
            counts[SamplingDecoder.draw(logProbs, 0, logProbs.length, options, random)]++;
        }
        for (int t = 0; t < expected.length; t++) {
            double frequency = counts[t] / (double) draws;
            assertEquals(frequency, expected[t], 0.015, options + ", token " + t);
        }
    }
}
