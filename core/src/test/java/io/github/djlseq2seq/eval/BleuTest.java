package io.github.djlseq2seq.eval;

import static org.testng.Assert.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Corpus BLEU against sacreBLEU 2.x's published numbers: its README example and the vectors of its
 * {@code test/test_bleu.py}, with that file's tolerance (1e-8).
 */
public class BleuTest {

    /** sacreBLEU's test tolerance. */
    private static final double EPSILON = 1e-8;

    /** The README example: hypotheses. */
    static final List<String> HYPS =
            List.of(
                    "The dog bit the man.",
                    "It wasn't surprising.",
                    "The man had just bitten him.");

    /** The README example: two reference streams. */
    static final List<List<String>> REFS =
            List.of(
                    List.of(
                            "The dog bit the man.",
                            "It was not unexpected.",
                            "The man bit him first."),
                    List.of(
                            "The dog had bit the man.",
                            "No one was surprised.",
                            "The man had bitten the dog."));

    private static final Bleu DEFAULT = Bleu.builder().build();

    @Test
    public void readmeExampleWithDefaults() {
        BleuScore score = DEFAULT.corpusScore(HYPS, REFS);
        assertEquals(score.getScore(), 48.530827, EPSILON);
        assertEquals(score.formatScore(6), "48.530827");
        assertEquals(
                score.toString(),
                "BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len"
                        + " = 18)");
        assertEquals(score.getCounts(), new int[] {14, 7, 5, 3});
        assertEquals(score.getTotals(), new int[] {17, 14, 11, 8});
        assertEquals(score.getSysLen(), 17);
        assertEquals(score.getRefLen(), 18);
        assertEquals(score.getBp(), Math.exp(1 - 18.0 / 17), 1e-15);
        assertEquals(score.getRatio(), 17.0 / 18, 1e-15);
        assertEquals(score.getPrecisions()[0], 100.0 * 14 / 17, 1e-12);
    }

    @Test
    public void readmeSignature() {
        MetricSignature signature = DEFAULT.corpusScore(HYPS, REFS).getSignature();
        assertEquals(
                signature.toString(), "nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.0.0");
        // the README's --short example, with nrefs 2 instead of 1
        assertEquals(signature.toShortString(), "#:2|c:mixed|e:no|tok:13a|s:exp|v:2.0.0");
        assertEquals(signature.get("tok"), "13a");
        assertEquals(
                DEFAULT.corpusScore(HYPS, REFS).format(2, true),
                "BLEU|nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.0.0 = 48.53"
                        + " 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len ="
                        + " 18)");
    }

    @Test
    public void issueFiveVariantOfTheSecondReference() {
        // the issue quotes "The dog had bitten the man." where sacreBLEU has "had bit": same score,
        // because the first reference already matches the first hypothesis exactly
        List<List<String>> refs =
                List.of(
                        REFS.get(0),
                        List.of(
                                "The dog had bitten the man.",
                                "No one was surprised.",
                                "The man had bitten the dog."));
        assertEquals(DEFAULT.corpusScore(HYPS, refs).getScore(), 48.530827, EPSILON);
        Bleu none = Bleu.builder().optTokenizer(BleuTokenizer.NONE).build();
        assertEquals(none.corpusScore(HYPS, refs).getScore(), 49.1919566, EPSILON);
    }

    @DataProvider
    public Object[][] corpusBleuCases() {
        // test_bleu.py: test_corpus_bleu_cases ('intl' is not implemented)
        return new Object[][] {
            {HYPS, DEFAULT, 48.530827},
            {List.of("", "", ""), DEFAULT, 0.0}, // empty hypotheses are kept, and score 0
            {HYPS, Bleu.builder().optTokenizer(BleuTokenizer.NONE).build(), 49.1919566},
            {HYPS, Bleu.builder().optTokenizer(BleuTokenizer.fromName("13a")).build(), 48.530827},
            {HYPS, Bleu.builder().optSmoothMethod(SmoothMethod.NONE).build(), 48.530827},
        };
    }

    @Test(dataProvider = "corpusBleuCases")
    public void corpusBleu(List<String> hyps, Bleu bleu, double expected) {
        assertEquals(bleu.corpusScore(hyps, REFS).getScore(), expected, EPSILON);
    }

    @Test
    public void emptyHypothesesAreCountedNotDropped() {
        BleuScore score = DEFAULT.corpusScore(List.of("", "", ""), REFS);
        assertEquals(score.getScore(), 0.0);
        assertEquals(score.getSysLen(), 0);
        assertEquals(score.getRefLen(), 17); // the shorter reference of each segment: 6 + 5 + 6
        assertEquals(
                score.toString(),
                "BLEU = 0.00 0.0/0.0/0.0/0.0 (BP = 0.000 ratio = 0.000 hyp_len = 0 ref_len = 17)");
    }

    @DataProvider
    public Object[][] maxOrderCases() {
        // test_bleu.py: test_bleu_max_order (compared as 2-decimal strings)
        return new Object[][] {
            {1, "77.65"}, {2, "60.50"}, {3, "53.93"}, {4, "48.53"}, {5, "46.14"}, {6, "43.28"},
        };
    }

    @Test(dataProvider = "maxOrderCases")
    public void maxNgramOrder(int order, String expected) {
        Bleu bleu = Bleu.builder().optMaxNgramOrder(order).build();
        BleuScore score = bleu.corpusScore(HYPS, REFS);
        assertEquals(score.formatScore(2), expected);
        assertEquals(score.getPrecisions().length, order);
    }

    @Test
    public void variableNumberOfReferences() {
        // README, "Variable Number of References": the first reference of segment 1 removed
        for (String missing : Arrays.asList("", null)) {
            List<List<String>> refs =
                    List.of(
                            Arrays.asList(
                                    missing, "It was not unexpected.", "The man bit him first."),
                            REFS.get(1));
            BleuScore score = DEFAULT.corpusScore(HYPS, refs);
            assertEquals(
                    score.toString(),
                    "BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17"
                            + " ref_len = 19)");
            assertEquals(
                    score.getSignature().toString(),
                    "nrefs:var|case:mixed|eff:no|tok:13a|smooth:exp|version:2.0.0");
        }
    }

    /** sacreBLEU's raw_corpus_bleu: floor smoothing, no tokenization, effective order. */
    private static Bleu raw(double floor) {
        return Bleu.builder()
                .optSmoothMethod(SmoothMethod.FLOOR)
                .optSmoothValue(floor)
                .optTokenizer(BleuTokenizer.NONE)
                .optEffectiveOrder(true)
                .build();
    }

    @DataProvider
    public Object[][] rawBleuCases() {
        // test_bleu.py: test_raw_bleu_cases and test_case_effective_order, scores / 100
        return new Object[][] {
            {List.of("this is a test", "another test"), List.of("ref1", "ref2"), 0.0},
            {List.of("this is a test"), List.of("this is a test"), 1.0},
            {List.of("this is a fest"), List.of("this is a test"), 0.223606797749979},
            {List.of("test"), List.of("a test"), 0.3678794411714425},
            {List.of("a test"), List.of("a test"), 1.0},
            {List.of("a little test"), List.of("a test"), 0.03218297948685433},
        };
    }

    @Test(dataProvider = "rawBleuCases")
    public void rawCorpusBleu(List<String> hyps, List<String> refs, double expected) {
        double bleu = raw(0.01).corpusScore(hyps, List.of(refs)).getScore() / 100;
        assertEquals(bleu, expected, EPSILON);
    }

    @Test
    public void statisticsAndFloorOffset() {
        // test_bleu.py: test_case_statistics and test_case_offset
        List<String> hyp = List.of("am I am a character sequence");
        List<List<String>> ref = List.of(List.of("I am a symbol string sequence a a"));
        BleuScore score = raw(0.01).corpusScore(hyp, ref);
        assertEquals(score.getCounts(), new int[] {4, 2, 1, 0});
        assertEquals(score.getTotals(), new int[] {6, 5, 4, 3});
        assertEquals(raw(0.0).corpusScore(hyp, ref).getScore() / 100, 0.0, EPSILON);
        Bleu defaultFloor =
                Bleu.builder()
                        .optSmoothMethod(SmoothMethod.FLOOR)
                        .optTokenizer(BleuTokenizer.NONE)
                        .optEffectiveOrder(true)
                        .build();
        assertEquals(defaultFloor.getSmoothValue(), 0.1);
        assertEquals(defaultFloor.corpusScore(hyp, ref).getScore() / 100, 0.1555722182, EPSILON);
    }

    @Test
    public void scoreFromStatistics() {
        // test_bleu.py: test_case_scoring; compute_bleu's own default smoothing is 'none'
        Bleu none = Bleu.builder().optSmoothMethod(SmoothMethod.NONE).build();
        BleuScore score =
                none.fromStatistics(new int[] {9, 7, 5, 3}, new int[] {10, 8, 6, 4}, 11, 11, "1");
        assertEquals(score.getScore() / 100, 0.8375922397, EPSILON);
    }

    @DataProvider
    public Object[][] degenerateStatistics() {
        // test_bleu.py: test_case_degenerate_stats: correct, total, sys_len, ref_len, floor value
        return new Object[][] {
            {new int[] {0, 0, 0, 0}, new int[] {4, 4, 2, 1}, 0, 1, 0.0},
            {new int[] {0, 0, 0, 0}, new int[] {10, 11, 12, 0}, 14, 10, 0.0},
            {new int[] {0, 0, 0, 0}, new int[] {0, 0, 0, 0}, 0, 0, 0.0},
            {new int[] {6, 5, 4, 0}, new int[] {6, 5, 4, 3}, 6, 6, 0.0},
            {new int[] {0, 0, 0, 0}, new int[] {0, 0, 0, 0}, 0, 0, 0.1},
            {new int[] {0, 0, 0, 0}, new int[] {0, 0, 0, 0}, 1, 5, 0.01},
        };
    }

    @Test(dataProvider = "degenerateStatistics")
    public void degenerateStatisticsScoreExactlyZero(
            int[] correct, int[] total, int sysLen, int refLen, double floor) {
        Bleu bleu =
                Bleu.builder().optSmoothMethod(SmoothMethod.FLOOR).optSmoothValue(floor).build();
        assertEquals(bleu.fromStatistics(correct, total, sysLen, refLen, "1").getScore(), 0.0);
    }

    @Test
    public void lowercase() {
        Bleu lc = Bleu.builder().optLowercase(true).build();
        List<String> shouting = HYPS.stream().map(String::toUpperCase).toList();
        assertEquals(lc.corpusScore(shouting, REFS).getScore(), 48.530827, EPSILON);
        // case-sensitive, only the three periods match (exp smoothing does the rest)
        BleuScore sensitive = DEFAULT.corpusScore(shouting, REFS);
        assertEquals(sensitive.getCounts(), new int[] {3, 0, 0, 0});
        assertEquals(sensitive.getScore(), 3.6468985201338513, 1e-12);
        assertEquals(
                lc.corpusScore(HYPS, REFS).getSignature().toString(),
                "nrefs:2|case:lc|eff:no|tok:13a|smooth:exp|version:2.0.0");
    }

    @Test
    public void smoothingAndOptionsInTheSignature() {
        assertEquals(
                raw(0.01).signature("1").toString(),
                "nrefs:1|case:mixed|eff:yes|tok:none|smooth:floor[0.01]|version:2.0.0");
        Bleu addK = Bleu.builder().optSmoothMethod(SmoothMethod.fromName("add-k")).build();
        assertEquals(addK.signature("2").get("smooth"), "add-k[1.00]");
        assertEquals(
                Bleu.builder()
                        .optSmoothMethod(SmoothMethod.FLOOR)
                        .build()
                        .signature("1")
                        .get("smooth"),
                "floor[0.10]");
        // as in sacreBLEU, a value given to a method without one is ignored
        Bleu exp = Bleu.builder().optSmoothValue(3).build();
        assertEquals(exp.signature("1").get("smooth"), "exp");
        assertEquals(exp.corpusScore(HYPS, REFS).getScore(), 48.530827, EPSILON);
    }

    @Test
    public void sentenceScoreIsACorpusOfOne() {
        Bleu bleu = Bleu.builder().optEffectiveOrder(true).build();
        BleuScore sentence =
                bleu.sentenceScore(HYPS.get(2), List.of(REFS.get(0).get(2), REFS.get(1).get(2)));
        BleuScore corpus =
                bleu.corpusScore(
                        List.of(HYPS.get(2)),
                        List.of(List.of(REFS.get(0).get(2)), List.of(REFS.get(1).get(2))));
        assertEquals(sentence.getScore(), corpus.getScore());
        assertEquals(sentence.getSignature().get("nrefs"), "2");
    }
}
