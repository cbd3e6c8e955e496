package io.github.djlseq2seq.eval;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.util.Arrays;
import java.util.List;
import org.testng.annotations.Test;

/** Bad input and bad options are rejected with a message that says what is wrong. */
public class MetricInputTest {

    private static final Bleu BLEU = Bleu.builder().build();
    private static final ChrF CHRF = ChrF.builder().build();

    @Test
    public void streamsOfDifferentLengths() {
        assertMessage(
                () -> BLEU.corpusScore(List.of("a", "b"), List.of(List.of("a"))),
                "stream 1 has 1 lines, the hypotheses have 2");
        assertMessage(
                () -> CHRF.corpusScore(List.of("a"), List.of(List.of("a"), List.of("a", "b"))),
                "stream 2 has 2 lines");
    }

    @Test
    public void missingInput() {
        assertMessage(() -> BLEU.corpusScore(List.of(), List.of(List.of())), "hypotheses");
        assertMessage(() -> BLEU.corpusScore(List.of("a"), List.of()), "reference stream");
        assertMessage(
                () -> BLEU.corpusScore(Arrays.asList("a", null), List.of(List.of("a", "b"))),
                "line 2 is null");
        assertMessage(
                () ->
                        CHRF.corpusScore(
                                List.of("a", "b"),
                                List.of(Arrays.asList("a", ""), Arrays.asList("a", null))),
                "Empty or null reference sentence found: line 2");
    }

    @Test
    public void badOptions() {
        assertMessage(() -> Bleu.builder().optMaxNgramOrder(0).build(), "maxNgramOrder");
        assertMessage(() -> Bleu.builder().optSmoothValue(-1).build(), "smoothValue");
        assertMessage(() -> Bleu.builder().optTokenizer(null).build(), "tokenizer");
        assertMessage(() -> ChrF.builder().optBeta(-1).build(), "beta");
        assertMessage(() -> ChrF.builder().optCharOrder(0).optWordOrder(0).build(), "charOrder");
        assertMessage(
                () -> BLEU.fromStatistics(new int[3], new int[3], 1, 1, "1"), "4 n-gram orders");
    }

    @Test
    public void whitespaceOnlyReferenceIsAReferenceOfLengthZero() {
        // only "" and null are left out; " " is a reference with no words, as in sacreBLEU
        BleuScore score = BLEU.corpusScore(List.of("a b"), List.of(List.of(" "), List.of("a b c")));
        assertEquals(score.getRefLen(), 3); // |2 - 0| = 2 > |2 - 3| = 1
        assertEquals(score.getSignature().get("nrefs"), "2");
    }

    private static void assertMessage(Runnable call, String expected) {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
