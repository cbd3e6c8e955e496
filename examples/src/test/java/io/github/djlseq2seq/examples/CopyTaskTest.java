package io.github.djlseq2seq.examples;

import static org.testng.Assert.assertTrue;

import io.github.djlseq2seq.precision.Precision;
import org.testng.annotations.Test;

/** The Annotated Transformer's copy task trains to ≥ 99% greedy exact match, in fp32 and bf16. */
public class CopyTaskTest {

    @Test
    public void copyTaskReachesNinetyNinePercent() throws Exception {
        double accuracy = new CopyTaskCommand().run(); // the command's defaults
        assertTrue(accuracy >= 0.99, "exact match " + accuracy);
    }

    /** The same in bf16 mixed precision (fp32 where the CPU has no bf16). */
    @Test
    public void bf16CopyTaskReachesNinetyNinePercent() throws Exception {
        CopyTaskCommand command = new CopyTaskCommand();
        command.precision = Precision.BF16;
        double accuracy = command.run();
        assertTrue(accuracy >= 0.99, "exact match " + accuracy);
    }
}
