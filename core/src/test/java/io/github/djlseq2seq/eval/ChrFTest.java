package io.github.djlseq2seq.eval;

import static org.testng.Assert.assertEquals;

import java.util.List;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * chrF against sacreBLEU 2.x's published numbers: its README example and the vectors of its {@code
 * test/test_chrf.py}, with that file's tolerance (1e-4).
 */
public class ChrFTest {

    private static final double EPSILON = 1e-4;

    @Test
    public void readmeExample() {
        ChrFScore score = ChrF.builder().build().corpusScore(BleuTest.HYPS, BleuTest.REFS);
        assertEquals(score.toString(), "chrF2 = 59.73");
        assertEquals(
                score.getSignature().toString(),
                "nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.0.0");
        assertEquals(
                score.getSignature().toShortString(), "#:2|c:mixed|e:yes|nc:6|nw:0|s:no|v:2.0.0");
        assertEquals(
                score.format(1, true),
                "chrF2|nrefs:2|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.0.0 = 59.7");
    }

    /** sacreBLEU's corpus_chrf as its tests call it: char order 6, word order 0, beta 3. */
    private static ChrF beta3(boolean epsSmoothing, boolean whitespace) {
        return ChrF.builder()
                .optCharOrder(6)
                .optWordOrder(0)
                .optBeta(3)
                .optEpsSmoothing(epsSmoothing)
                .optWhitespace(whitespace)
                .build();
    }

    @DataProvider
    public Object[][] epsSmoothingCases() {
        // test_chrf.py: test_cases (eps_smoothing=True)
        return new Object[][] {
            {List.of("abcdefg"), List.of("hijklmnop"), 0.0},
            {List.of("a"), List.of("b"), 0.0},
            {List.of(""), List.of("b"), 0.0},
            {List.of(""), List.of("ref"), 0.0},
            {List.of(""), List.of("reference"), 0.0},
            {List.of("aa"), List.of("ab"), 8.3333},
            {List.of("a", "b"), List.of("a", "c"), 8.3333},
            {List.of("a"), List.of("a"), 16.6667},
            {List.of("a b c"), List.of("a b c"), 50.0},
            {List.of("a b c"), List.of("abc"), 50.0},
            {
                List.of(
                        " risk assessment must be made of those who are qualified and expertise in"
                                + " the sector - these are the scientists ."),
                List.of(
                        "risk assessment has to be undertaken by those who are qualified and expert"
                                + " in that area - that is the scientists ."),
                63.361730
            },
            {
                List.of(
                        " Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade "
                                + " freundlich. "),
                List.of(
                        "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade"
                                + " freundschaftlich."),
                64.1302698
            },
            {
                List.of("Niemand hat die Absicht, eine Mauer zu errichten"),
                List.of("Niemand hat die Absicht, eine Mauer zu errichten"),
                100.0
            },
        };
    }

    @Test(dataProvider = "epsSmoothingCases")
    public void epsSmoothing(List<String> hyps, List<String> refs, double expected) {
        assertEquals(
                beta3(true, false).corpusScore(hyps, List.of(refs)).getScore(), expected, EPSILON);
    }

    @DataProvider
    public Object[][] effectiveOrderCases() {
        // test_chrf.py: test_cases_effective_order (sacreBLEU's default averaging)
        return new Object[][] {
            {List.of("a"), List.of("a"), 100.0},
            {List.of(""), List.of("reference"), 0.0},
            {List.of("a b c"), List.of("a b c"), 100.0},
            {List.of("a b c"), List.of("abc"), 100.0},
            {List.of(""), List.of("c"), 0.0},
            {List.of("a", "b"), List.of("a", "c"), 50.0},
            {List.of("aa"), List.of("ab"), 25.0},
        };
    }

    @Test(dataProvider = "effectiveOrderCases")
    public void effectiveOrder(List<String> hyps, List<String> refs, double expected) {
        assertEquals(
                beta3(false, false).corpusScore(hyps, List.of(refs)).getScore(), expected, EPSILON);
    }

    @DataProvider
    public Object[][] keepWhitespaceCases() {
        // test_chrf.py: test_cases_keep_whitespace
        return new Object[][] {
            {
                "Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.",
                "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.",
                67.3481606
            },
            {
                "risk assessment must be made of those who are qualified and expertise in the"
                        + " sector - these are the scientists .",
                "risk assessment has to be undertaken by those who are qualified and expert in"
                        + " that area - that is the scientists .",
                65.2414427
            },
        };
    }

    @Test(dataProvider = "keepWhitespaceCases")
    public void keepWhitespace(String hyp, String ref, double expected) {
        ChrFScore score = beta3(false, true).corpusScore(List.of(hyp), List.of(List.of(ref)));
        assertEquals(score.getScore(), expected, EPSILON);
        assertEquals(score.getName(), "chrF3");
        assertEquals(score.getSignature().get("space"), "yes");
    }

    @DataProvider
    public Object[][] sentenceCases() {
        // test_chrf.py: test_sentence_level_chrf (beta 2, eps_smoothing=True)
        return new Object[][] {
            {
                "Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
                "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.",
                39.14078509
            },
            {
                "Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
                "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.",
                31.22557079
            },
            {
                "Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
                "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít,"
                        + " připomněli.",
                57.15704367
            },
        };
    }

    @Test(dataProvider = "sentenceCases")
    public void sentenceLevel(String hyp, String ref, double expected) {
        ChrF chrf = ChrF.builder().optEpsSmoothing(true).build();
        ChrFScore score = chrf.sentenceScore(hyp, List.of(ref));
        assertEquals(score.getScore(), expected, EPSILON);
        assertEquals(score.getSignature().get("eff"), "no");
    }

    @Test
    public void chrFPlusPlusNameAndSignature() {
        ChrFScore score =
                ChrF.builder()
                        .optWordOrder(2)
                        .build()
                        .corpusScore(List.of("(hi) there."), List.of(List.of("(hi) there.")));
        assertEquals(score.getName(), "chrF2++");
        assertEquals(score.getScore(), 100.0, 1e-12);
        assertEquals(
                score.getSignature().toString(),
                "nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.0.0");
    }

    @Test
    public void charactersAreCodePoints() {
        // one emoji is one character, as in Python: "a😀" has two 1-grams and one 2-gram
        ChrF chrf = ChrF.builder().optCharOrder(2).build();
        int[] stats = {0, 0, 0, 0, 0, 0};
        assertEquals(chrf.fromStatistics(stats, "1").getScore(), 0.0);
        ChrFScore score =
                chrf.corpusScore(List.of("a\ud83d\ude00"), List.of(List.of("a\ud83d\ude00")));
        assertEquals(score.getScore(), 100.0, 1e-12);
        ChrFScore half =
                chrf.corpusScore(List.of("a\ud83d\ude00"), List.of(List.of("a\ud83d\ude01")));
        // 1-grams: 1 of 2 match; 2-grams: 0 of 1; averaged over 2 orders: P = R = 0.25
        assertEquals(half.getScore(), 25.0, 1e-12);
    }
}
