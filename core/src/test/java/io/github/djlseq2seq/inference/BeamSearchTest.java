package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.NormPlacement;
import java.util.List;
import java.util.Random;
import org.testng.annotations.Test;

/** Beam search against greedy decoding and against the model's own score of its output. */
public class BeamSearchTest {

    @Test
    public void beamOfOneEqualsGreedy() {
        for (int seed = 0; seed < 4; seed++) {
            NormPlacement norm = seed % 2 == 0 ? NormPlacement.POST : NormPlacement.PRE;
            try (DecodingFixture f = new DecodingFixture(norm, seed);
                    NDManager batch = f.manager.newSubManager()) {
                NDArray source = DecodingFixture.sources(batch, new Random(seed), 6, 2, 9, 4);
                DecodingOptions options = DecodingOptions.builder().optBeamSize(1).build();
                List<Hypothesis> greedy = new GreedyDecoder(f.block, options).decode(f.ps, source);
                List<Hypothesis> beam =
                        new BeamSearchDecoder(f.block, options).decode(f.ps, source);
                for (int s = 0; s < greedy.size(); s++) {
                    String where = "seed " + seed + ", sentence " + s;
                    assertEquals(beam.get(s).getTokens(), greedy.get(s).getTokens(), where);
                    assertEquals(beam.get(s).getScore(), greedy.get(s).getScore(), 1e-9, where);
                }
            }
        }
    }

    /**
     * A case where greedy decoding is suboptimal, found by trying seeded random tiny models and
     * inputs (model seed 0, input seed 0; α = 0, at most 4 tokens): beam search returns a
     * hypothesis the model scores higher, and the scores are the model's own.
     */
    @Test
    public void beamSearchBeatsGreedyOnAConstructedCase() {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.POST, 0);
                NDManager batch = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(batch, new Random(0), 3, 5, 2, 6);
            DecodingOptions.Builder options =
                    DecodingOptions.builder()
                            .optLengthPenalty(0f)
                            .optMaxLengthRatio(0f)
                            .optMaxLengthOffset(4);
            Hypothesis greedy =
                    SequenceDecoder.of(f.block, options.optBeamSize(1).build())
                            .decode(f.ps, source)
                            .get(0);
            Hypothesis beam =
                    SequenceDecoder.of(f.block, options.optBeamSize(4).build())
                            .decode(f.ps, source)
                            .get(0);
            assertTrue(
                    beam.getScore() > greedy.getScore() + 0.1,
                    "beam " + beam + " vs greedy " + greedy);
            NDArray row = source.get("0:1");
            assertEquals(modelScore(f, row, greedy.getTokens()), greedy.getScore(), 1e-4);
            assertEquals(modelScore(f, row, beam.getTokens()), beam.getScore(), 1e-4);
        }
    }

    @Test
    public void outputsRespectTheMaximumLengthAndHoldNoSpecialTokens() {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.PRE, 2);
                NDManager batch = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(batch, new Random(1), 0, 3, 8);
            for (int beam : new int[] {1, 3}) {
                DecodingOptions options =
                        DecodingOptions.builder()
                                .optBeamSize(beam)
                                .optMaxLengthRatio(0.5f)
                                .optMaxLengthOffset(2)
                                .build();
                List<Hypothesis> out = SequenceDecoder.of(f.block, options).decode(f.ps, source);
                int[] limits = {2, 3, 6}; // floor(0.5 n + 2)
                for (int s = 0; s < 3; s++) {
                    int[] tokens = out.get(s).getTokens();
                    assertTrue(tokens.length <= limits[s], "beam " + beam + ": " + out.get(s));
                    for (int token : tokens) {
                        assertTrue(
                                token != SpecialTokens.PAD_ID && token != SpecialTokens.START_ID);
                        assertTrue(token != SpecialTokens.END_ID);
                    }
                    assertTrue(out.get(s).getScore() < 0);
                }
            }
        }
    }

    /** The teacher-forced log-probability of tokens followed by END, from one parallel pass. */
    static double modelScore(DecodingFixture f, NDArray sourceRow, int[] tokens) {
        return f.modelScore(sourceRow, tokens);
    }
}
