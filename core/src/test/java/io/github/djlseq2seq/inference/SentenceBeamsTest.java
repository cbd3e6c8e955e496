package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import org.testng.annotations.Test;

/** The beam bookkeeping of one sentence, on hand-made log-probabilities (no model). */
public class SentenceBeamsTest {

    private static final int END = 3;
    private static final float NONE = Float.NEGATIVE_INFINITY;

    private static SentenceBeams beams(int k, float alpha, int maxLength) {
        DecodingOptions options =
                DecodingOptions.builder().optBeamSize(k).optLengthPenalty(alpha).build();
        return new SentenceBeams(options, maxLength);
    }

    @Test
    public void endAmongTheBestKFinishesAHypothesis() {
        SentenceBeams s = beams(2, 0f, 10);
        // beam 0 (the only live one at the start): END -0.1, 5 -0.5, 6 -1.0, 7 -2.0
        s.advance(
                0, new float[] {-0.1f, -0.5f, -1f, -2f, 0, 0, 0, 0}, ids(END, 5, 6, 7), 4, 0, null);
        // no live beam (at most -0.5) can beat -0.1 with α = 0
        assertTrue(s.isDone());
        assertEquals(s.best().getTokens(), new int[0]);
        assertEquals(s.best().getScore(), -0.1, 1e-6);
    }

    @Test
    public void endBelowTheBestKIsNotFinished() {
        SentenceBeams s = beams(1, 0f, 10);
        s.advance(0, new float[] {-0.1f, -0.2f}, ids(5, END), 2, 0, null);
        assertFalse(s.isDone());
        assertEquals(s.lastToken(0), 5);
        assertEquals(s.parent(0), 0);
    }

    @Test
    public void liveBeamsAreTheBestExtensionsAndRememberTheirParents() {
        SentenceBeams s = beams(2, 0f, 10);
        s.advance(0, new float[] {-1f, -2f, -5f, -6f, 0, 0, 0, 0}, ids(5, 6, 7, 8), 4, 0, null);
        assertEquals(s.lastToken(0), 5); // beams: [5] -1, [6] -2
        assertEquals(s.lastToken(1), 6);
        // [5] then 9 -3 (total -4) or 10 -4; [6] then 11 -0.5 (total -2.5): [6, 11] first
        s.advance(
                1,
                new float[] {-3f, -4f, -9f, -9f, -0.5f, -9f, -9f, -9f},
                ids(9, 10, 12, 13, 11, 12, 13, 14),
                4,
                0,
                null);
        assertEquals(s.parent(0), 1);
        assertEquals(s.lastToken(0), 11);
        assertEquals(s.parent(1), 0);
        assertEquals(s.lastToken(1), 9);
        assertFalse(s.isDone());
    }

    @Test
    public void theMaximumLengthEndsEveryLiveBeam() {
        SentenceBeams s = beams(2, 0f, 1);
        s.advance(0, new float[] {-1f, -2f, -5f, -6f, 0, 0, 0, 0}, ids(5, 6, 7, 8), 4, 0, null);
        assertTrue(s.mustEnd(1));
        s.advance(1, null, null, 4, 0, new float[] {-3f, -0.5f});
        assertTrue(s.isDone());
        assertEquals(s.best().getTokens(), new int[] {6}); // -2.5 beats -4
        assertEquals(s.best().getScore(), -2.5, 1e-6);
    }

    /** GNMT's penalty lets a longer hypothesis win: [] at -0.3 against [5] at -0.33. */
    @Test
    public void lengthPenaltyCanPreferTheLongerHypothesis() {
        for (float alpha : new float[] {0f, 1f}) {
            SentenceBeams s = beams(2, alpha, 1);
            s.advance(
                    0,
                    new float[] {-0.3f, -0.32f, -2f, -3f, 0, 0, 0, 0},
                    ids(END, 5, 6, 7),
                    4,
                    0,
                    null);
            if (!s.isDone()) { // α = 1: [5] may still reach -0.32 / lp(2) > -0.3
                s.advance(1, null, null, 4, 0, new float[] {-0.01f, -0.01f});
            }
            int[] expected = alpha == 0 ? new int[0] : new int[] {5};
            assertEquals(s.best().getTokens(), expected, "alpha " + alpha);
        }
    }

    private static long[] ids(long... ids) {
        return ids;
    }
}
