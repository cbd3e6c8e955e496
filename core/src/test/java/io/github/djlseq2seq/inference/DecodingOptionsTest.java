package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.Test;

/** The n-best and sampling options: defaults, the beam raised to K, and bad values named. */
public class DecodingOptionsTest {

    private static void refused(DecodingOptions.Builder builder, String message) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, builder::build);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    public void anUnsetBeamGrowsToTheListAndASetOneIsChecked() {
        assertEquals(DecodingOptions.builder().optNBest(6).build().getBeamSize(), 6);
        assertEquals(DecodingOptions.builder().optNBest(2).build().getBeamSize(), 4);
        assertEquals(DecodingOptions.builder().optBeamSize(5).optNBest(5).build().getNBest(), 5);
        refused(
                DecodingOptions.builder().optBeamSize(4).optNBest(5),
                "nBest (5) must be at most beamSize (4)");
        refused(DecodingOptions.builder().optNBest(0), "nBest must be at least 1, got 0");
        // sampling draws K samples whatever the beam
        DecodingOptions samples =
                DecodingOptions.builder().optBeamSize(1).optNBest(8).optSample(true).build();
        assertEquals(samples.getNBest(), 8);
    }

    @Test
    public void badSamplingValuesAreNamed() {
        refused(DecodingOptions.builder().optTopP(0f), "topP must be in (0, 1], got 0.0");
        refused(DecodingOptions.builder().optTopP(1.5f), "topP must be in (0, 1], got 1.5");
        refused(DecodingOptions.builder().optTopP(Float.NaN), "topP must be in (0, 1]");
        refused(
                DecodingOptions.builder().optTemperature(-0.5f),
                "temperature must be finite and at least 0, got -0.5");
        refused(
                DecodingOptions.builder().optTemperature(Float.POSITIVE_INFINITY),
                "temperature must be finite");
        refused(DecodingOptions.builder().optTopK(-1), "topK must be at least 0, got -1");
        DecodingOptions ok =
                DecodingOptions.builder().optTopP(1f).optTemperature(0f).optTopK(0).build();
        assertEquals(ok.getTopP(), 1f);
    }

    @Test
    public void optionsAreEqualByValue() {
        DecodingOptions a = DecodingOptions.builder().optSample(true).optTopP(0.9f).build();
        DecodingOptions b = DecodingOptions.builder().optSample(true).optTopP(0.9f).build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, DecodingOptions.builder().optSample(true).optSeed(1).build());
        assertNotEquals(
                DecodingOptions.builder().build(), DecodingOptions.builder().optNBest(2).build());
        assertTrue(
                a.toString().contains("sampling with temperature 1.0, top-p 0.9, seed 0"), "" + a);
    }
}
