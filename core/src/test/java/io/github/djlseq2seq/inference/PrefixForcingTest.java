package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djlseq2seq.model.NormPlacement;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.testng.annotations.Test;

/** A forced target prefix: verbatim at the start, scored by the model, then free decoding. */
public class PrefixForcingTest {

    private static List<List<Hypothesis>> decode(
            DecodingFixture f, DecodingOptions o, NDArray source, int[][] prefixes) {
        return SequenceDecoder.of(f.block, o).decodeNBest(f.ps, source, prefixes);
    }

    /** Forcing the first m tokens greedy chose changes nothing: greedy continues as it would. */
    @Test
    public void theGreedyPrefixContinuesAsGreedy() {
        int checked = 0;
        for (int seed = 0; seed < 3; seed++) {
            try (DecodingFixture f = new DecodingFixture(NormPlacement.POST, 20 + seed);
                    NDManager batch = f.manager.newSubManager()) {
                NDArray source = DecodingFixture.sources(batch, new Random(seed), 6, 3, 8);
                DecodingOptions greedy = DecodingOptions.builder().optBeamSize(1).build();
                List<List<Hypothesis>> free = decode(f, greedy, source, null);
                for (int m = 1; m <= 3; m++) {
                    int[][] prefixes = new int[3][];
                    for (int s = 0; s < 3; s++) {
                        int[] all = free.get(s).get(0).getTokens();
                        prefixes[s] = Arrays.copyOf(all, Math.min(m, all.length));
                        checked += m <= all.length ? 1 : 0;
                    }
                    List<List<Hypothesis>> forced = decode(f, greedy, source, prefixes);
                    for (int s = 0; s < 3; s++) {
                        Hypothesis want = free.get(s).get(0);
                        Hypothesis got = forced.get(s).get(0);
                        assertEquals(got.getTokens(), want.getTokens(), "m " + m + ", " + s);
                        assertEquals(got.getScore(), want.getScore(), 1e-5);
                    }
                }
            }
        }
        assertTrue(checked >= 20, "outputs long enough to force, got " + checked);
    }

    @Test
    public void anyPrefixStartsEveryOutputAndIsScored() {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.PRE, 7);
                NDManager batch = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(batch, new Random(7), 5, 2, 6);
            int[][] prefixes = {{9, 4, 9}, {}, {16}};
            DecodingOptions[] all = {
                DecodingOptions.builder().optBeamSize(1).build(),
                DecodingOptions.builder().optBeamSize(4).optNBest(3).build(),
                DecodingOptions.builder().optSample(true).optSeed(5).optNBest(2).build()
            };
            for (DecodingOptions o : all) {
                List<List<Hypothesis>> out = decode(f, o, source, prefixes);
                for (int s = 0; s < 3; s++) {
                    for (Hypothesis h : out.get(s)) {
                        int[] tokens = h.getTokens();
                        String where = o + ", sentence " + s + ": " + h;
                        assertTrue(tokens.length >= prefixes[s].length, where);
                        assertEquals(Arrays.copyOf(tokens, prefixes[s].length), prefixes[s], where);
                        NDArray row = source.get(s + ":" + (s + 1));
                        assertEquals(h.getScore(), f.modelScore(row, tokens), 1e-4, where);
                    }
                }
            }
        }
    }

    @Test
    public void aPrefixOutlastsTheLengthLimitAndRepeatBlocking() {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.POST, 8);
                NDManager batch = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(batch, new Random(8), 3, 4);
            int[][] prefixes = {{5, 5, 5, 5, 5}, {6, 6}};
            for (int beam : new int[] {1, 3}) {
                // at most 1 token, but the prefix is kept whole and END follows it
                DecodingOptions o =
                        DecodingOptions.builder()
                                .optBeamSize(beam)
                                .optMaxLengthRatio(0f)
                                .optMaxLengthOffset(1)
                                .optNoRepeatNgramSize(1)
                                .build();
                List<List<Hypothesis>> out = decode(f, o, source, prefixes);
                assertEquals(out.get(0).get(0).getTokens(), prefixes[0], "beam " + beam);
                assertEquals(out.get(1).get(0).getTokens(), prefixes[1], "beam " + beam);
            }
        }
    }

    @Test
    public void badPrefixesAreRefusedWithTheSentence() {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.POST, 9);
                NDManager batch = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(batch, new Random(9), 3, 4);
            DecodingOptions o = DecodingOptions.builder().optBeamSize(2).build();
            String m =
                    expectThrows(
                                    IllegalArgumentException.class,
                                    () -> decode(f, o, source, new int[][] {{5}, {6, 3}}))
                            .getMessage();
            assertTrue(m.contains("Target prefix of sentence 1 holds token 3"), m);
            m =
                    expectThrows(
                                    IllegalArgumentException.class,
                                    () -> decode(f, o, source, new int[][] {{5}, {99}}))
                            .getMessage();
            assertTrue(m.contains("holds token 99"), m);
            int[] tooLong = new int[DecodingFixture.MAX_LENGTH];
            Arrays.fill(tooLong, 5);
            m =
                    expectThrows(
                                    IllegalArgumentException.class,
                                    () -> decode(f, o, source, new int[][] {tooLong, {}}))
                            .getMessage();
            assertTrue(m.contains("Target prefix of sentence 0 has 32 tokens"), m);
        }
    }
}
