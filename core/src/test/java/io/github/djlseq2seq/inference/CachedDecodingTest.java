package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.NormPlacement;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Cached decoding yields exactly the tokens of full recomputation (the whole growing prefix decoded
 * at every step), with log-probabilities within 1e-5, for post- and pre-norm models.
 */
public class CachedDecodingTest {

    @DataProvider
    public Object[][] placements() {
        return new Object[][] {{NormPlacement.POST}, {NormPlacement.PRE}};
    }

    /** Step by step, both sessions give the same next-token log-probabilities. */
    @Test(dataProvider = "placements")
    public void cachedLogProbsEqualRecomputedOnes(NormPlacement norm) {
        try (DecodingFixture f = new DecodingFixture(norm, 21);
                NDManager call = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(call, new Random(5), 9, 2, 5);
            DecodingSession cached = new DecodingSession(f.block, f.ps, call, source, true);
            DecodingSession full = new DecodingSession(f.block, f.ps, call, source, false);
            int[] last = new int[3];
            Arrays.fill(last, SpecialTokens.START_ID);
            double worst = 0;
            for (int t = 0; t < 20; t++) {
                try (NDManager step = call.newSubManager()) {
                    NDArray a = cached.next(step.create(last)).maximum(-1e30f); // PAD, START: -inf
                    NDArray b = full.next(step.create(last)).maximum(-1e30f);
                    worst = Math.max(worst, a.sub(b).abs().max().getFloat());
                    long[] fullChoice = b.argMax(1).toLongArray();
                    assertEquals(a.argMax(1).toLongArray(), fullChoice, "step " + t);
                    for (int r = 0; r < last.length; r++) {
                        last[r] = (int) fullChoice[r];
                    }
                }
            }
            assertTrue(worst < 1e-5, "max |cached - recomputed| log-prob = " + worst);
        }
    }

    @Test(dataProvider = "placements")
    public void greedyCachedEqualsRecomputed(NormPlacement norm) {
        assertSameOutput(norm, 1);
    }

    @Test(dataProvider = "placements")
    public void beamSearchCachedEqualsRecomputed(NormPlacement norm) {
        assertSameOutput(norm, 3);
    }

    private static void assertSameOutput(NormPlacement norm, int beam) {
        try (DecodingFixture f = new DecodingFixture(norm, 4);
                NDManager batch = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(batch, new Random(8), 7, 1, 4, 11, 3);
            DecodingOptions.Builder options =
                    DecodingOptions.builder().optBeamSize(beam).optLengthPenalty(0.6f);
            List<Hypothesis> cached =
                    SequenceDecoder.of(f.block, options.optIncremental(true).build())
                            .decode(f.ps, source);
            List<Hypothesis> recomputed =
                    SequenceDecoder.of(f.block, options.optIncremental(false).build())
                            .decode(f.ps, source);
            assertEquals(cached.size(), 5);
            for (int s = 0; s < cached.size(); s++) {
                Hypothesis a = cached.get(s);
                Hypothesis b = recomputed.get(s);
                assertEquals(a.getTokens(), b.getTokens(), "sentence " + s);
                assertEquals(a.getScore(), b.getScore(), 1e-4, "sentence " + s);
            }
        }
    }
}
