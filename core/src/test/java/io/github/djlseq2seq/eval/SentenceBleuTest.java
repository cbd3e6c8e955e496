package io.github.djlseq2seq.eval;

import static org.testng.Assert.assertEquals;

import java.util.List;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Sentence-level BLEU with every smoothing method: the vectors of sacreBLEU 2.x's {@code
 * test/test_sentence_bleu.py} (from its issues #98 and #141), with that file's tolerance (1e-3).
 * Its {@code intl} and {@code char} tokenizer cases are left out: those tokenizers are not
 * implemented.
 */
public class SentenceBleuTest {

    private static final double EPSILON = 1e-3;

    /** sacreBLEU issue #98: Romanian, with diacritics in two spellings. */
    private static final String REF = "producţia de zahăr brut se exprimă în zahăr alb;";

    private static final String SYS =
            "Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;";

    /** sacreBLEU issue #141: no n-gram in common. */
    private static final String REF_0 = "okay thanks";

    private static final String SYS_0 = "this is a cat";

    private static Bleu bleu(String method, Double value, String tokenizer) {
        Bleu.Builder builder =
                Bleu.builder()
                        .optSmoothMethod(SmoothMethod.fromName(method))
                        .optTokenizer(BleuTokenizer.fromName(tokenizer))
                        .optEffectiveOrder(true);
        if (value != null) {
            builder.optSmoothValue(value);
        }
        return builder.build();
    }

    @DataProvider
    public Object[][] cases() {
        return new Object[][] {
            {"exp", null, "13a", 8.493},
            {"none", null, "13a", 0.0},
            {"floor", null, "13a", 4.51688}, // defaults to 0.1
            {"floor", 0.1, "13a", 4.51688},
            {"floor", 0.5, "13a", 10.10},
            {"add-k", null, "13a", 14.882}, // defaults to 1
            {"add-k", 1.0, "13a", 14.882},
            {"add-k", 2.0, "13a", 21.389},
            {"exp", null, "none", 7.347},
        };
    }

    @Test(dataProvider = "cases")
    public void smoothingMethods(String method, Double value, String tokenizer, double expected) {
        BleuScore score = bleu(method, value, tokenizer).sentenceScore(SYS, List.of(REF));
        assertEquals(score.getScore(), expected, EPSILON);
    }

    @DataProvider
    public Object[][] zeroCases() {
        return new Object[][] {
            {"exp", null},
            {"none", null},
            {"floor", null},
            {"floor", 0.1},
            {"add-k", null},
            {"add-k", 1.0},
        };
    }

    @Test(dataProvider = "zeroCases")
    public void noMatchIsZeroWhateverTheSmoothing(String method, Double value) {
        BleuScore score = bleu(method, value, "13a").sentenceScore(SYS_0, List.of(REF_0));
        assertEquals(score.getScore(), 0.0, EPSILON);
    }
}
