package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djlseq2seq.model.NormPlacement;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.testng.annotations.Test;

/** fairseq-style repeated n-gram blocking in greedy and beam search. */
public class RepeatedNgramsTest {

    @Test
    public void bannedTokensCompleteAnEarlierNgram() {
        assertEquals(RepeatedNgrams.banned(new int[] {5, 6, 7, 5, 6}, 3), new int[] {7});
        assertEquals(RepeatedNgrams.banned(new int[] {1, 2, 1, 2, 1}, 2), new int[] {2, 2});
        assertEquals(RepeatedNgrams.banned(new int[] {4, 9}, 1), new int[] {4, 9});
        assertEquals(RepeatedNgrams.banned(new int[] {5, 6}, 3), new int[0]);
        assertEquals(RepeatedNgrams.banned(new int[] {5, 6, 7, 8}, 3), new int[0]);
        expectThrows(
                IllegalArgumentException.class,
                () -> DecodingOptions.builder().optNoRepeatNgramSize(-1).build());
    }

    @Test
    public void outputsHoldNoRepeatedNgramWhenBlocked() {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.PRE, 3);
                NDManager batch = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(batch, new Random(3), 12, 9, 15, 11, 14);
            DecodingOptions.Builder options =
                    DecodingOptions.builder().optMaxLengthRatio(2f).optMaxLengthOffset(10);
            // an untrained model loops: without blocking some output repeats a bigram
            List<Hypothesis> free =
                    SequenceDecoder.of(f.block, options.optBeamSize(1).build())
                            .decode(f.ps, source);
            assertTrue(free.stream().anyMatch(h -> repeatsAnNgram(h.getTokens(), 2)), "" + free);
            options.optNoRepeatNgramSize(2);
            List<Hypothesis> greedy =
                    SequenceDecoder.of(f.block, options.optBeamSize(1).build())
                            .decode(f.ps, source);
            List<Hypothesis> beamOfOne =
                    new BeamSearchDecoder(f.block, options.optBeamSize(1).build())
                            .decode(f.ps, source);
            List<Hypothesis> beam =
                    SequenceDecoder.of(f.block, options.optBeamSize(3).build())
                            .decode(f.ps, source);
            for (int s = 0; s < greedy.size(); s++) {
                assertTrue(!repeatsAnNgram(greedy.get(s).getTokens(), 2), "greedy " + greedy);
                assertTrue(!repeatsAnNgram(beam.get(s).getTokens(), 2), "beam " + beam);
                assertEquals(beamOfOne.get(s).getTokens(), greedy.get(s).getTokens());
                assertEquals(beamOfOne.get(s).getScore(), greedy.get(s).getScore(), 1e-9);
            }
        }
    }

    private static boolean repeatsAnNgram(int[] tokens, int n) {
        Set<List<Integer>> seen = new HashSet<>();
        for (int i = 0; i + n <= tokens.length; i++) {
            List<Integer> gram = new java.util.ArrayList<>();
            for (int j = 0; j < n; j++) {
                gram.add(tokens[i + j]);
            }
            if (!seen.add(gram)) {
                return true;
            }
        }
        return false;
    }
}
