package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import org.testng.annotations.Test;

/**
 * Beam search with {@link LengthNormalization#HUGGING_FACE}: {@code len^α} and the stopping rule of
 * Hugging Face's generate(), on hand-made log-probabilities (no model).
 */
public class HuggingFaceBeamsTest {

    private static final int END = 3;

    private static SentenceBeams beams(LengthNormalization normalization, boolean early) {
        DecodingOptions options =
                DecodingOptions.builder()
                        .optBeamSize(2)
                        .optLengthPenalty(1f)
                        .optLengthNormalization(normalization)
                        .optEarlyStopping(early)
                        .build();
        return new SentenceBeams(options, 10);
    }

    /**
     * Two steps: [] finishes at -0.5 (normalised -0.5 / 1), then [5] at -0.7 (-0.7 / 2 = -0.35)
     * while [5, 8] lives at -0.65, which at its length 2 (-0.325) still beats the worse finished
     * one (-0.5).
     */
    private static SentenceBeams twoSteps(LengthNormalization normalization, boolean early) {
        SentenceBeams s = beams(normalization, early);
        s.advance(
                0,
                new float[] {-0.5f, -0.6f, -0.7f, -3f, 0, 0, 0, 0},
                ids(END, 5, 6, 7),
                4,
                0,
                null);
        assertFalse(s.isDone());
        s.advance(
                1,
                new float[] {-0.05f, -0.1f, -5f, -5f, -0.1f, -2f, -5f, -5f},
                ids(8, END, 10, 11, 9, END, 10, 11),
                4,
                0,
                null);
        return s;
    }

    @Test
    public void withoutEarlyStoppingALiveBeamThatMayStillWinKeepsTheSearchGoing() {
        SentenceBeams s = twoSteps(LengthNormalization.HUGGING_FACE, false);
        assertFalse(s.isDone());
        assertEquals(s.best().getTokens(), new int[] {5});
        assertEquals(s.best().getNormalizedScore(), -0.35, 1e-6); // -0.7 / 2^1
    }

    @Test
    public void earlyStoppingEndsOnceBeamSizeHaveFinished() {
        assertTrue(twoSteps(LengthNormalization.HUGGING_FACE, true).isDone());
    }

    @Test
    public void aLiveBeamThatCannotWinAnyMoreEndsTheSearch() {
        SentenceBeams s = beams(LengthNormalization.HUGGING_FACE, false);
        s.advance(
                0,
                new float[] {-0.5f, -0.6f, -0.7f, -3f, 0, 0, 0, 0},
                ids(END, 5, 6, 7),
                4,
                0,
                null);
        // [5, END] -0.7 finishes; the best live beam [5, 8] at -2.6 gives -1.3 < -0.5: done
        s.advance(
                1,
                new float[] {-0.1f, -2f, -5f, -5f, -2.5f, -3f, -5f, -5f},
                ids(END, 8, 10, 11, 9, END, 10, 11),
                4,
                0,
                null);
        assertTrue(s.isDone());
    }

    @Test
    public void lengthPenaltyIsLengthToTheAlpha() {
        DecodingOptions options =
                DecodingOptions.builder()
                        .optLengthPenalty(1.5f)
                        .optLengthNormalization(LengthNormalization.HUGGING_FACE)
                        .build();
        assertEquals(options.lengthPenalty(4), 8.0, 1e-9);
        assertEquals(DecodingOptions.builder().build().lengthPenalty(1), 1.0, 1e-9); // GNMT
    }

    private static long[] ids(int... ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
