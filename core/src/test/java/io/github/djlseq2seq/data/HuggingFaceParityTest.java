package io.github.djlseq2seq.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * The saved tokenizer.json gives exactly our ids in DJL's HuggingFaceTokenizer (HuggingFace
 * tokenizers 0.21, native library from the jar).
 */
public class HuggingFaceParityTest {

    /**
     * Lines with characters absent from the training text, whitespace and NFC corner cases, and
     * runs of one letter (where the leftmost of equal merges must win).
     */
    static final List<String> UNUSUAL =
            List.of(
                    "",
                    " ",
                    "   ",
                    " leading space",
                    "trailing space ",
                    "two  spaces   and three",
                    "tab\there, newline\nthere",
                    "no-break\u00a0space and thin\u2009space",
                    "中文测试：你好，世界。",
                    "emoji 😀🎉 and a flag 🇪🇸!",
                    "Привет, мир — Ελληνικά",
                    "مرحبا بالعالم",
                    "decomposed e\u0301 and precomposed é, Ångström",
                    "ﬁ ligature, ½ fraction, ２ full width",
                    "quotes “double” ‘single’ «angle» „low“ ‹›",
                    "symbols $100 & 50% @home #tag ~x^2 {a|b} [c] <d> `e`",
                    "special literals <s> and </s> and <pad><unk> inside",
                    "<s>",
                    "a<s>b",
                    "<0x41> looks like a byte token",
                    "▁ the space mark itself ▁▁",
                    "Zürich, São Paulo, Kraków, Þingvellir, İstanbul",
                    "¿Dónde está? ¡Aquí! — dijo…",
                    "control \u0001 and \u007f characters",
                    "digits 0123456789 and 3.14159",
                    "UPPER CASE LINE WITH ÑANDÚ",
                    "Noooo! Hmmm, sssss aaaaah, Shhhh, llllama, eeeek, zzzz, Aaaaron, ttt",
                    "......",
                    "a—b–c-d",
                    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters",
                    "Ж",
                    "日本語のテキスト、カタカナ。",
                    "한국어 텍스트",
                    "עברית",
                    "हिन्दी पाठ",
                    "tiếng Việt có dấu",
                    "the LORD’s word",
                    "God said, “Let there be light,” and there was light.",
                    "Y dijo Dios: Sea la luz: y fué la luz.",
                    "end with punctuation!?");

    private Path dir;
    private BpeTokenizer bpe;
    private HuggingFaceTokenizer hf;

    @BeforeClass
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("hf-parity");
        bpe = BibleCorpus.bpe();
        bpe.save(dir.resolve("tokenizer.json"));
        hf = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"), options("false"));
    }

    @AfterClass
    public void tearDown() throws IOException {
        if (hf != null) {
            hf.close();
        }
        BibleCorpus.deleteRecursively(dir);
    }

    /** Options for plain encoding: no truncation at 512, no padding. */
    static Map<String, String> options(String addSpecialTokens) {
        return Map.of(
                "addSpecialTokens", addSpecialTokens, "truncation", "false", "padding", "false");
    }

    /** 1,000 lines: 480 English and 480 Spanish dev lines, and 40 unusual ones. */
    static List<String> thousandLines() {
        List<String> lines = new ArrayList<>();
        List<BibleCorpus.Pair> dev = BibleCorpus.dev();
        for (int i = 0; i < 480; i++) {
            lines.add(dev.get(i).english());
            lines.add(dev.get(dev.size() - 1 - i).spanish());
        }
        lines.addAll(UNUSUAL);
        return lines;
    }

    @Test
    public void bpeGivesTheSameIdsOnAThousandLines() throws IOException {
        List<String> lines = thousandLines();
        assertEquals(lines.size(), 1000);
        BpeTokenizer reloaded = BpeTokenizer.load(dir.resolve("tokenizer.json"));
        int byteFallbackLines = 0;
        long tokens = 0;
        for (String line : lines) {
            int[] ours = bpe.encode(line);
            int[] theirs = toInts(hf.encode(line).getIds());
            assertEquals(theirs, ours, "HF ids differ for: " + line);
            assertEquals(reloaded.encode(line), ours, "reloaded ids differ for: " + line);
            tokens += ours.length;
            if (Arrays.stream(ours).anyMatch(id -> id >= 4 && id < 260)) {
                byteFallbackLines++;
            }
        }
        // the unusual lines exercise byte fallback, the dev lines are real text
        assertTrue(byteFallbackLines >= 20, "byte fallback used on " + byteFallbackLines);
        assertTrue(tokens > 30_000, "tokens: " + tokens);
    }

    @Test
    public void decodingAgreesWithHuggingFace() {
        for (String line : thousandLines()) {
            int[] ids = bpe.encode(line);
            String theirs = hf.decode(toLongs(ids), true);
            assertEquals(bpe.decode(ids), theirs, "decoded text differs for: " + line);
        }
    }

    @Test
    public void postProcessorWrapsInStartAndEnd() throws IOException {
        try (HuggingFaceTokenizer withSpecials =
                HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"), options("true"))) {
            String line = "In the beginning";
            Encoding encoding = withSpecials.encode(line);
            int[] ours = bpe.encode(line);
            int[] expected = new int[ours.length + 2];
            expected[0] = SpecialTokens.START_ID;
            System.arraycopy(ours, 0, expected, 1, ours.length);
            expected[ours.length + 1] = SpecialTokens.END_ID;
            assertEquals(toInts(encoding.getIds()), expected);
        }
    }

    @Test
    public void wordLevelGivesTheSameIds() throws IOException {
        List<String> train = BibleCorpus.trainTexts(50);
        WordLevelTokenizer words =
                WordLevelTokenizer.train(
                        train, WordLevelTrainingConfig.builder().optMinCount(2).build());
        Path file = dir.resolve("word.json");
        words.save(file);
        List<String> lines = new ArrayList<>(thousandLines().subList(0, 60));
        lines.addAll(UNUSUAL);
        lines.add("a\u0085b\u2028c\u3000d\u001ce"); // whitespace where Java and Rust disagree
        int unknown = 0;
        try (HuggingFaceTokenizer wordHf =
                HuggingFaceTokenizer.newInstance(file, options("false"))) {
            for (String line : lines) {
                int[] ours = words.encode(line);
                assertEquals(toInts(wordHf.encode(line).getIds()), ours, "ids differ: " + line);
                unknown +=
                        (int) Arrays.stream(ours).filter(id -> id == SpecialTokens.UNK_ID).count();
            }
        }
        assertTrue(unknown > 50, "unknown words: " + unknown);
        assertFalse(Tokenizers.load(file) instanceof BpeTokenizer);
    }

    private static int[] toInts(long[] ids) {
        return Arrays.stream(ids).mapToInt(Math::toIntExact).toArray();
    }

    private static long[] toLongs(int[] ids) {
        return Arrays.stream(ids).asLongStream().toArray();
    }
}
