package io.github.djlseq2seq.eval;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * The 13a tokenizer on its edge cases. sacreBLEU publishes no tokenizer vectors, so each expected
 * string was worked out from the rules (entities and line breaks, then symbols, then periods and
 * commas next to non-digits, then a dash after a digit) and confirmed by running sacreBLEU's own
 * regular expressions in Python's {@code re}.
 */
public class Tokenizer13aTest {

    @DataProvider
    public Object[][] cases() {
        return new Object[][] {
            // entities are decoded, then split off like the characters they stand for
            {"&quot;Hello,&quot; she said &amp; left.", "\" Hello , \" she said & left ."},
            {"a &lt;b&gt; tag", "a < b > tag"},
            // hyphens stay inside words; a dash after a digit is split off
            {"state-of-the-art", "state-of-the-art"},
            {"well-known.", "well-known ."},
            {"pages 10-20", "pages 10 - 20"},
            {"5-year-old", "5 - year-old"},
            {"a-1 and 1-a", "a-1 and 1 - a"},
            {"--", "--"},
            // periods and commas between digits stay: numbers with commas and decimals
            {"1,000,000 people paid $3.50.", "1,000,000 people paid $ 3.50 ."},
            {"It costs 3.14, not 2,5.", "It costs 3.14 , not 2,5 ."},
            {".5 and 5.", ". 5 and 5 ."},
            // a trailing period is split off, and so is every period of an abbreviation
            {"end.", "end ."},
            {"U.S.A.", "U . S . A ."},
            {"e.g., this", "e . g . , this"},
            {"...", ". . ."},
            // symbols are split off; apostrophes are not
            {"Hello, world!", "Hello , world !"},
            {"He said: 'no' (twice)?", "He said : 'no' ( twice ) ?"},
            {"I'm 5'10\" tall", "I'm 5'10 \" tall"},
            {"x&y 50% #1 @home a/b", "x & y 50 % # 1 @ home a / b"},
            {"[a]{b}~^_`|\\", "[ a ] { b } ~ ^ _ ` | \\"},
            {"$5 (approx.)", "$ 5 ( approx . )"},
            // <skipped> is removed, a hyphen before a line break joins, other breaks are spaces
            {"the <skipped> word", "the word"},
            {"inter-\nnational", "international"},
            {"line one\nline two", "line one line two"},
            // Python's whitespace: no-break, thin, ideographic space and separators split words;
            // the zero-width space U+200B does not
            {"non\u00a0breaking\u2009thin", "non breaking thin"},
            {"A\tB\u001cC\u0085D\u3000E\u200bF", "A B C D E\u200bF"},
            // non-ASCII letters pass through untouched; code points outside the BMP too
            {"Straße \ufb01 \ud83d\ude00.", "Straße \ufb01 \ud83d\ude00 ."},
        };
    }

    @Test(dataProvider = "cases")
    public void tokenize(String line, String expected) {
        assertEquals(BleuTokenizer.TOKENIZER_13A.tokenize(line), expected);
    }

    @Test
    public void trailingHyphenSurvivesBecauseTheLineIsStrippedFirst() {
        // BLEU strips trailing whitespace before tokenizing, so "-\n" at the end is not a join
        Bleu bleu = Bleu.builder().build();
        BleuScore score =
                bleu.corpusScore(
                        java.util.List.of("trailing-\n"),
                        java.util.List.of(java.util.List.of("trailing-")));
        assertEquals(score.getScore(), 0.0); // a single word: no 2-, 3-, 4-grams
        assertEquals(score.getCounts()[0], 1);
        assertEquals(score.getSysLen(), 1);
    }

    @Test
    public void noneLeavesTheTextAlone() {
        assertEquals(BleuTokenizer.NONE.tokenize(" a,b.  c "), " a,b.  c ");
        assertEquals(BleuTokenizer.fromName("none"), BleuTokenizer.NONE);
        assertEquals(BleuTokenizer.TOKENIZER_13A.getSignatureName(), "13a");
    }

    @Test
    public void unknownNamesAreRejected() {
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> BleuTokenizer.fromName("intl"));
        assertTrue(e.getMessage().contains("none, 13a"), e.getMessage());
        e = expectThrows(IllegalArgumentException.class, () -> SmoothMethod.fromName("add-n"));
        assertTrue(e.getMessage().contains("add-k"), e.getMessage());
    }
}
