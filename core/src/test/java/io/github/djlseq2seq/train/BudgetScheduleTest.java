package io.github.djlseq2seq.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.Test;

/** Linear warmup, then linear decay to zero at the end of the budget. */
public class BudgetScheduleTest {

    @Test
    public void warmupThenLinearDecayWithProgress() {
        BudgetSchedule s = BudgetSchedule.builder().optPeak(2e-3f).optWarmupSteps(100).build();
        assertEquals(s.getNewValue(1), 2e-5f, 1e-9);
        assertEquals(s.getNewValue(50), 1e-3f, 1e-9);
        assertEquals(s.getNewValue(100), 2e-3f, 1e-9);
        assertEquals(s.getNewValue(400), 2e-3f, 1e-9);
        s.setProgress(0.25);
        assertEquals(s.getNewValue(400), 1.5e-3f, 1e-9);
        assertEquals(s.getNewValue(50), 0.75e-3f, 1e-9);
        s.setProgress(1.7); // clamped: a run past its budget trains at rate 0
        assertEquals(s.getProgress(), 1.0);
        assertEquals(s.getNewValue(400), 0f);
        s.setProgress(-1);
        assertEquals(s.getNewValue(400), 2e-3f, 1e-9);
    }

    @Test
    public void badSettingsAreRefused() {
        expectThrows(
                IllegalArgumentException.class,
                () -> BudgetSchedule.builder().optWarmupSteps(0).build());
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () ->
                                TrainingSettings.builder()
                                        .optDecay(TrainingSettings.Decay.LINEAR_TO_BUDGET)
                                        .build());
        assertEquals(
                e.getMessage(),
                "decay LINEAR_TO_BUDGET needs a step or time budget (maxSteps or maxMinutes)");
    }
}
