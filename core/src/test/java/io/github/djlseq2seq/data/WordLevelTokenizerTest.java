package io.github.djlseq2seq.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.util.List;
import org.testng.annotations.Test;

/** The word-level tokenizer for toy tasks. */
public class WordLevelTokenizerTest {

    private static final List<String> TEXTS = List.of("the cat sat", "the  dog\tsat down", "a cat");

    @Test
    public void vocabularyIsOrderedByCountThenText() {
        WordLevelTokenizer words =
                WordLevelTokenizer.train(TEXTS, WordLevelTrainingConfig.builder().build());
        // cat 2, sat 2, the 2, then a, dog, down once each
        assertEquals(
                words.getVocabulary().getTokens(),
                List.of("<pad>", "<unk>", "<s>", "</s>", "cat", "sat", "the", "a", "dog", "down"));
        assertEquals(words.encode(" the dog  sat\n"), new int[] {6, 8, 5});
        assertEquals(words.encode("the bird sat"), new int[] {6, SpecialTokens.UNK_ID, 5});
        assertEquals(words.encode(""), new int[0]);
        assertEquals(words.encode("<s> cat </s>"), new int[] {2, 4, 3});
    }

    @Test
    public void minCountAndMaxSizeLimitTheVocabulary() {
        WordLevelTokenizer frequent =
                WordLevelTokenizer.train(
                        TEXTS, WordLevelTrainingConfig.builder().optMinCount(2).build());
        assertEquals(frequent.size(), 4 + 3);
        assertEquals(frequent.encode("a cat"), new int[] {SpecialTokens.UNK_ID, 4});
        WordLevelTokenizer small =
                WordLevelTokenizer.train(
                        TEXTS, WordLevelTrainingConfig.builder().optMaxSize(6).build());
        assertEquals(small.getVocabulary().getTokens().subList(4, 6), List.of("cat", "sat"));
        expectThrows(
                IllegalArgumentException.class,
                () -> WordLevelTrainingConfig.builder().optMaxSize(3).build());
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> WordLevelTrainingConfig.builder().optMinCount(0).build());
        assertTrue(e.getMessage().contains("minCount"), e.getMessage());
    }

    @Test
    public void decodeJoinsWordsWithSingleSpaces() {
        WordLevelTokenizer words =
                WordLevelTokenizer.train(TEXTS, WordLevelTrainingConfig.builder().build());
        int[] ids = words.encode("  the\tcat   sat down ");
        assertEquals(words.decode(ids), "the cat sat down");
        assertEquals(words.decode(new int[] {2, 6, 4, 3, 0, 0}), "the cat");
        // UNK is a special token, skipped like the others (as HuggingFace does)
        assertEquals(words.decode(words.encode("the bird sat")), "the sat");
        expectThrows(IllegalArgumentException.class, () -> words.decode(new int[] {10}));
    }

    @Test
    public void roundTripsKnownText() {
        // a toy copy task: every word is in the vocabulary, so decode(encode(s)) gives s back
        List<String> digits = List.of("7 3 9 1", "0 2 4 6 8", "5");
        WordLevelTokenizer words =
                WordLevelTokenizer.train(digits, WordLevelTrainingConfig.builder().build());
        assertEquals(words.size(), 4 + 10);
        for (String line : digits) {
            assertEquals(words.decode(words.encode(line)), line);
        }
    }
}
