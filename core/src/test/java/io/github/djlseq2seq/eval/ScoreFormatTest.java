package io.github.djlseq2seq.eval;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.Test;

/** Scores print exactly as Python's {@code f"{x:.Nf}"} prints them, not as Java's format does. */
public class ScoreFormatTest {

    @Test
    public void roundsTheExactBinaryValueTiesToEven() {
        assertEquals(ScoreFormat.fixed(0.125, 2), "0.12"); // exact tie: to even (Java: 0.13)
        assertEquals(ScoreFormat.fixed(0.375, 2), "0.38");
        assertEquals(ScoreFormat.fixed(2.675, 2), "2.67"); // 2.67499999... in binary (Java: 2.68)
        assertEquals(ScoreFormat.fixed(0.5, 0), "0");
        assertEquals(ScoreFormat.fixed(1.5, 0), "2");
        assertEquals(ScoreFormat.fixed(2.5, 0), "2");
    }

    @Test
    public void widths() {
        double readme = 48.530827009929865;
        assertEquals(ScoreFormat.fixed(readme, 0), "49");
        assertEquals(ScoreFormat.fixed(readme, 1), "48.5");
        assertEquals(ScoreFormat.fixed(readme, 2), "48.53");
        assertEquals(ScoreFormat.fixed(readme, 6), "48.530827");
        assertEquals(ScoreFormat.fixed(100.00000000000004, 6), "100.000000");
        assertEquals(ScoreFormat.fixed(0.0, 3), "0.000");
        assertEquals(ScoreFormat.fixed(1e-7, 4), "0.0000");
    }

    @Test
    public void signsAndSpecialValuesAsPython() {
        assertEquals(ScoreFormat.fixed(-0.001, 2), "-0.00");
        assertEquals(ScoreFormat.fixed(-0.0, 1), "-0.0");
        assertEquals(ScoreFormat.fixed(Double.NaN, 2), "nan");
        assertEquals(ScoreFormat.fixed(Double.POSITIVE_INFINITY, 2), "inf");
        expectThrows(IllegalArgumentException.class, () -> ScoreFormat.fixed(1.0, -1));
    }
}
