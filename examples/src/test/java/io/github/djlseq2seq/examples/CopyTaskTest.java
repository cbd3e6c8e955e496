package io.github.djlseq2seq.examples;

import static org.testng.Assert.assertTrue;

import org.testng.annotations.Test;

/** The Annotated Transformer's copy task trains to ≥ 99% greedy exact match. */
public class CopyTaskTest {

    @Test
    public void copyTaskReachesNinetyNinePercent() throws Exception {
        double accuracy = new CopyTaskCommand().run(); // the command's defaults
        assertTrue(accuracy >= 0.99, "exact match " + accuracy);
    }
}
