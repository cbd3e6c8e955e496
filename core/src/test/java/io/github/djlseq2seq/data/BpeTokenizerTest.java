package io.github.djlseq2seq.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import org.testng.annotations.Test;

/** Encoding and decoding with the BPE tokenizer trained on a quarter of the Bible train split. */
public class BpeTokenizerTest {

    private final BpeTokenizer bpe = BibleCorpus.bpe();

    @Test
    public void roundTripsEveryDevLine() {
        List<String> lines = new ArrayList<>();
        for (BibleCorpus.Pair pair : BibleCorpus.dev()) {
            lines.add(pair.english());
            lines.add(pair.spanish());
        }
        assertEquals(lines.size(), 2 * 1231);
        long tokens = 0;
        long chars = 0;
        for (String line : lines) {
            int[] ids = bpe.encode(line);
            assertEquals(bpe.decode(ids), line);
            tokens += ids.length;
            chars += line.length();
            for (int id : ids) {
                assertTrue(id >= 4 && id < 8000, "id " + id + " in " + line);
            }
        }
        // an 8k vocabulary packs several characters into a token (3.5 to 4.5 on this corpus)
        double charsPerToken = (double) chars / tokens;
        assertTrue(charsPerToken > 3.5 && charsPerToken < 4.5, "chars/token " + charsPerToken);
    }

    @Test
    public void roundTripsUpToNfc() {
        for (String line : HuggingFaceParityTest.UNUSUAL) {
            if (line.contains("<") || line.contains("▁")) {
                continue; // special literals and the space mark are documented exceptions
            }
            String expected = Normalizer.normalize(line, Normalizer.Form.NFC);
            assertEquals(bpe.decode(bpe.encode(line)), expected, line);
        }
        assertEquals(bpe.decode(bpe.encode("e\u0301")), "\u00e9");
        assertEquals(bpe.decode(bpe.encode("a<s>b")), "a b");
        assertEquals(bpe.decode(bpe.encode("▁a")), " a");
    }

    @Test
    public void unseenCharactersFallBackToBytes() {
        // 中 is U+4E2D, UTF-8 E4 B8 AD; byte b has id 4 + b
        int space = (int) bpe.getVocabulary().getIndex("▁");
        assertEquals(bpe.encode("中"), new int[] {space, 4 + 0xE4, 4 + 0xB8, 4 + 0xAD});
        // 😀 is U+1F600, UTF-8 F0 9F 98 80
        assertEquals(bpe.encode("😀"), new int[] {space, 4 + 0xF0, 4 + 0x9F, 4 + 0x98, 4 + 0x80});
        // a lone surrogate becomes U+FFFD, UTF-8 EF BF BD
        assertEquals(bpe.encode("\ud800"), new int[] {space, 4 + 0xEF, 4 + 0xBF, 4 + 0xBD});
        assertEquals(bpe.decode(bpe.encode("x\ud800y")), "x\ufffdy");
        // never UNK, unless written as the literal <unk>
        for (String line : HuggingFaceParityTest.UNUSUAL) {
            if (line.contains(SpecialTokens.UNK)) {
                continue;
            }
            for (int id : bpe.encode(line)) {
                assertFalse(id == SpecialTokens.UNK_ID, line);
            }
        }
    }

    @Test
    public void decodeSkipsSpecialsAndRejectsUnknownIds() {
        int[] ids = bpe.encode("In the beginning");
        int[] wrapped = new int[ids.length + 3];
        wrapped[0] = SpecialTokens.START_ID;
        System.arraycopy(ids, 0, wrapped, 1, ids.length);
        wrapped[ids.length + 1] = SpecialTokens.END_ID;
        wrapped[ids.length + 2] = SpecialTokens.PAD_ID;
        assertEquals(bpe.decode(wrapped), "In the beginning");
        // invalid UTF-8 from byte tokens gives one U+FFFD per byte, as HuggingFace does
        assertEquals(bpe.decode(new int[] {4 + 0xE4, 4 + 0xB8}), "\ufffd\ufffd");
        IllegalArgumentException e =
                expectThrows(IllegalArgumentException.class, () -> bpe.decode(new int[] {8000}));
        assertTrue(e.getMessage().contains("8000"), e.getMessage());
    }

    @Test
    public void punctuationIsSplitOff() {
        TokenVocabulary vocabulary = bpe.getVocabulary();
        String line = "tierra, “Dios”";
        List<String> tokens = new ArrayList<>();
        for (int id : bpe.encode(line)) {
            tokens.add(vocabulary.getToken(id));
        }
        // "▁tierra" is a word of the corpus; "Dios" after a quote has no ▁ and is split
        assertEquals(tokens.subList(0, 4), List.of("▁tierra", ",", "▁", "“"));
        assertEquals(String.join("", tokens.subList(4, tokens.size() - 1)), "Dios");
        assertEquals(tokens.get(tokens.size() - 1), "”");
        assertEquals(bpe.encode(""), new int[0]);
        // the prepended ▁ and the space's ▁ are two words
        int mark = (int) vocabulary.getIndex("▁");
        assertEquals(bpe.encode(" "), new int[] {mark, mark});
    }

    @Test
    public void vocabularyFollowsDjlConventions() {
        TokenVocabulary vocabulary = bpe.getVocabulary();
        assertEquals(vocabulary.size(), 8000L);
        assertTrue(vocabulary.contains("▁tierra"));
        assertFalse(vocabulary.contains("no such token"));
        assertEquals(vocabulary.getIndex("no such token"), SpecialTokens.UNK_ID);
        assertEquals(vocabulary.getToken(-1), SpecialTokens.UNK);
        assertEquals(vocabulary.getToken(8000), SpecialTokens.UNK);
        long id = vocabulary.getIndex("▁tierra");
        assertEquals(vocabulary.getToken(id), "▁tierra");
        assertEquals(bpe.size(), 8000);
        expectThrows(
                IllegalArgumentException.class, () -> TokenVocabulary.of(List.of("<pad>", "a")));
        expectThrows(
                IllegalArgumentException.class,
                () -> TokenVocabulary.of(List.of("<pad>", "<unk>", "<s>", "</s>", "a", "a")));
    }
}
