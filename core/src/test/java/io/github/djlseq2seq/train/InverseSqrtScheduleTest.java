package io.github.djlseq2seq.train;

import static org.testng.Assert.assertEquals;

import org.testng.annotations.Test;

/** The warmup then inverse-square-root schedule. */
public class InverseSqrtScheduleTest {

    @Test
    public void warmupThenDecay() {
        InverseSqrtSchedule s =
                InverseSqrtSchedule.builder().optPeak(1e-3f).optWarmupSteps(100).build();
        assertEquals(s.getNewValue(1), 1e-5f, 1e-9);
        assertEquals(s.getNewValue(50), 5e-4f, 1e-9);
        assertEquals(s.getNewValue(100), 1e-3f, 1e-9);
        assertEquals(s.getNewValue(400), 5e-4f, 1e-9); // sqrt(100/400) = 1/2
    }

    @Test
    public void paperPeakMatchesPaperFormula() {
        InverseSqrtSchedule s =
                InverseSqrtSchedule.builder().optWarmupSteps(4000).optPaperPeak(512).build();
        for (int step : new int[] {1, 100, 4000, 10000}) {
            double paper =
                    Math.pow(512, -0.5)
                            * Math.min(Math.pow(step, -0.5), step * Math.pow(4000, -1.5));
            assertEquals(s.getNewValue(step), paper, paper * 1e-5);
        }
    }
}
