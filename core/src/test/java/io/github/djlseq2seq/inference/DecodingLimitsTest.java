package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djlseq2seq.model.NormPlacement;
import java.util.Random;
import org.testng.annotations.Test;

/** Sources longer than the model accepts and bad options get clear errors. */
public class DecodingLimitsTest {

    @Test
    public void aSourceLongerThanTheModelsMaxLengthIsRejected() {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.POST, 1);
                NDManager batch = f.manager.newSubManager()) {
            int tooLong = DecodingFixture.MAX_LENGTH - 1; // + START + END = maxLength + 1
            NDArray source = DecodingFixture.sources(batch, new Random(3), 4, tooLong);
            for (int beam : new int[] {1, 4}) {
                SequenceDecoder decoder =
                        SequenceDecoder.of(
                                f.block, DecodingOptions.builder().optBeamSize(beam).build());
                IllegalArgumentException e =
                        org.testng.Assert.expectThrows(
                                IllegalArgumentException.class, () -> decoder.decode(f.ps, source));
                assertTrue(
                        e.getMessage().contains("exceeds the model's maxLength 32"),
                        e.getMessage());
            }
            // one token shorter fits
            NDArray fits = DecodingFixture.sources(batch, new Random(3), 4, tooLong - 1);
            SequenceDecoder.of(f.block, DecodingOptions.builder().optBeamSize(2).build())
                    .decode(f.ps, fits);
        }
    }

    @Test
    public void badOptionsAreRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> DecodingOptions.builder().optBeamSize(0).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> DecodingOptions.builder().optLengthPenalty(-0.5f).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> DecodingOptions.builder().optMaxLengthRatio(Float.NaN).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> DecodingOptions.builder().optMaxLengthOffset(-1).build());
    }

    @Test
    public void maximumOutputLengthFollowsTheSourceAndTheModel() {
        DecodingOptions o =
                DecodingOptions.builder().optMaxLengthRatio(1.5f).optMaxLengthOffset(3).build();
        org.testng.Assert.assertEquals(o.maxOutputLength(4, 100), 9);
        org.testng.Assert.assertEquals(o.maxOutputLength(4, 8), 7); // START + 7 tokens fill 8
        org.testng.Assert.assertEquals(o.lengthPenalty(1), 1.0, 0);
        DecodingOptions gnmt = DecodingOptions.builder().optLengthPenalty(1f).build();
        org.testng.Assert.assertEquals(gnmt.lengthPenalty(7), 2.0, 1e-12); // (5 + 7) / 6
    }
}
