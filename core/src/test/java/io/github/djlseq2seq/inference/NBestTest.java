package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.djlseq2seq.model.NormPlacement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.testng.annotations.Test;

/** Beam search's n-best lists against the model's own scores and against the 1-best search. */
public class NBestTest {

    @Test
    public void nBestScoresAreTheModelsLogProbabilitiesAndTheListIsSorted() {
        int full = 0;
        for (int seed = 0; seed < 2; seed++) {
            for (float alpha : new float[] {0f, 0.6f}) {
                NormPlacement norm = seed == 0 ? NormPlacement.POST : NormPlacement.PRE;
                try (DecodingFixture f = new DecodingFixture(norm, seed);
                        NDManager batch = f.manager.newSubManager()) {
                    NDArray source = DecodingFixture.sources(batch, new Random(seed), 4, 7, 2);
                    DecodingOptions.Builder b =
                            DecodingOptions.builder().optBeamSize(4).optLengthPenalty(alpha);
                    DecodingOptions fourBest = b.optNBest(4).build();
                    List<List<Hypothesis>> lists =
                            SequenceDecoder.of(f.block, fourBest).decodeNBest(f.ps, source, null);
                    List<Hypothesis> best =
                            SequenceDecoder.of(f.block, b.optNBest(1).build()).decode(f.ps, source);
                    for (int s = 0; s < lists.size(); s++) {
                        String where = "seed " + seed + ", alpha " + alpha + ", sentence " + s;
                        List<Hypothesis> list = lists.get(s);
                        assertTrue(!list.isEmpty() && list.size() <= 4, where + ": " + list);
                        full += list.size() == 4 ? 1 : 0;
                        NDArray row = source.get(s + ":" + (s + 1));
                        Set<String> distinct = new HashSet<>();
                        for (int r = 0; r < list.size(); r++) {
                            Hypothesis h = list.get(r);
                            assertEquals(h.getScore(), f.modelScore(row, h.getTokens()), 1e-4);
                            double lp = fourBest.lengthPenalty(h.getTokens().length + 1);
                            assertEquals(h.getNormalizedScore(), h.getScore() / lp, 1e-9, where);
                            if (r > 0) {
                                assertTrue(
                                        list.get(r - 1).getNormalizedScore()
                                                >= h.getNormalizedScore(),
                                        where + ": " + list);
                            }
                            assertTrue(distinct.add(Arrays.toString(h.getTokens())), where);
                        }
                        // the head of the list is the 1-best search's answer
                        assertEquals(list.get(0).getTokens(), best.get(s).getTokens(), where);
                        assertEquals(list.get(0).getScore(), best.get(s).getScore(), 1e-9, where);
                    }
                }
            }
        }
        assertTrue(full >= 6, "most sentences fill their 4-best list, got " + full + " of 12");
    }

    /** With α = 0 the early stop is exact, so the 2-best list is the head of the 5-best list. */
    @Test
    public void aShorterListIsTheHeadOfALongerOne() {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.POST, 3);
                NDManager batch = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(batch, new Random(3), 5, 3, 8);
            DecodingOptions.Builder b =
                    DecodingOptions.builder().optBeamSize(5).optLengthPenalty(0f);
            List<List<Hypothesis>> two =
                    SequenceDecoder.of(f.block, b.optNBest(2).build())
                            .decodeNBest(f.ps, source, null);
            List<List<Hypothesis>> five =
                    SequenceDecoder.of(f.block, b.optNBest(5).build())
                            .decodeNBest(f.ps, source, null);
            for (int s = 0; s < 3; s++) {
                assertEquals(two.get(s).size(), 2);
                assertEquals(five.get(s).size(), 5);
                for (int r = 0; r < 2; r++) {
                    assertEquals(two.get(s).get(r).getTokens(), five.get(s).get(r).getTokens());
                    assertEquals(two.get(s).get(r).getScore(), five.get(s).get(r).getScore(), 1e-9);
                }
            }
        }
    }

    /** The early stop waits for K finished hypotheses, not for the first. */
    @Test
    public void theEarlyStopWaitsForTheKthBest() {
        float[] step = {-0.1f, -0.5f, -1f, -2f, 0, 0, 0, 0}; // beam 0: END, 5, 6, 7
        long[] ids = {3, 5, 6, 7, 0, 0, 0, 0};
        DecodingOptions.Builder b = DecodingOptions.builder().optBeamSize(2).optLengthPenalty(0f);
        SentenceBeams one = new SentenceBeams(b.optNBest(1).build(), 10);
        one.advance(0, step, ids, 4, 0, null);
        assertTrue(one.isDone(), "no live beam (at most -0.5) beats -0.1");
        SentenceBeams two = new SentenceBeams(b.optNBest(2).build(), 10);
        two.advance(0, step, ids, 4, 0, null);
        assertFalse(two.isDone(), "the live beams may still give the second best");
        assertEquals(two.nBest().size(), 1);
    }

    @Test
    public void theGeneratorReturnsTheListsWithBothScores() {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.PRE, 5);
                NDManager batch = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(batch, new Random(5), 3, 6);
            DecodingOptions options = DecodingOptions.builder().optNBest(3).build();
            assertEquals(options.getBeamSize(), 4, "the default beam holds 3");
            List<List<Hypothesis>> expected =
                    SequenceDecoder.of(f.block, options).decodeNBest(f.ps, source, null);
            Seq2SeqGenerator generator =
                    Seq2SeqGenerator.builder().setModel(f.block).optOptions(options).build();
            NDList out = generator.forward(f.ps, new NDList(source), false);
            assertEquals(out.size(), 5);
            assertEquals(out.get(2).getShape().get(1), 3); // [B, K, L']
            int width = (int) out.get(2).getShape().get(2);
            int[] ids = out.get(2).toType(DataType.INT32, false).toIntArray();
            float[] scores = out.get(3).toFloatArray();
            float[] normalized = out.get(4).toFloatArray();
            for (int s = 0; s < 2; s++) {
                for (int r = 0; r < 3; r++) {
                    Hypothesis h = expected.get(s).get(r);
                    int[] tokens = h.getTokens();
                    int from = (s * 3 + r) * width;
                    assertEquals(
                            Arrays.copyOfRange(ids, from, from + tokens.length),
                            tokens,
                            s + "/" + r);
                    assertEquals(scores[s * 3 + r], h.getScore(), 1e-5);
                    assertEquals(normalized[s * 3 + r], h.getNormalizedScore(), 1e-5);
                }
            }
        }
    }
}
