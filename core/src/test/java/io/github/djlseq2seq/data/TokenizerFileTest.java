package io.github.djlseq2seq.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Saving and loading tokenizer.json, and the errors for malformed files. */
public class TokenizerFileTest {

    private Path dir;
    private String bpeJson;
    private String wordJson;

    @BeforeClass
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("tokenizer-files");
        BpeTokenizer small = BpeTokenizer.train(BibleCorpus.trainTexts(200), config(600));
        small.save(dir.resolve("bpe.json"));
        bpeJson = Files.readString(dir.resolve("bpe.json"));
        WordLevelTokenizer.train(List.of("a b b c"), WordLevelTrainingConfig.builder().build())
                .save(dir.resolve("word.json"));
        wordJson = Files.readString(dir.resolve("word.json"));
    }

    @AfterClass
    public void tearDown() throws IOException {
        BibleCorpus.deleteRecursively(dir);
    }

    @Test
    public void bpeSurvivesSaveAndLoad() throws IOException {
        BpeTokenizer bpe = BibleCorpus.bpe();
        Path file = dir.resolve("sub/dir/tokenizer.json");
        bpe.save(file);
        BpeTokenizer back = BpeTokenizer.load(file);
        assertEquals(back.getVocabulary().getTokens(), bpe.getVocabulary().getTokens());
        assertEquals(BpeTrainerTest.merges(back), BpeTrainerTest.merges(bpe));
        assertTrue(back.isSplitPunctuation());
        for (BibleCorpus.Pair pair : BibleCorpus.dev().subList(0, 200)) {
            assertEquals(back.encode(pair.spanish()), bpe.encode(pair.spanish()));
        }
        // the generic loader picks the class from model.type
        Seq2SeqTokenizer loaded = Tokenizers.load(file.getParent()); // a directory works too
        assertTrue(loaded instanceof BpeTokenizer);
        assertEquals(loaded.encode("¿Quién?"), bpe.encode("¿Quién?"));
        // saving again gives the same bytes
        back.save(dir.resolve("again.json"));
        assertEquals(Files.readString(dir.resolve("again.json")), Files.readString(file));
    }

    @Test
    public void bpeWithoutPunctuationSplitSurvivesSaveAndLoad() throws IOException {
        BpeTrainingConfig config =
                BpeTrainingConfig.builder().optVocabSize(500).optSplitPunctuation(false).build();
        BpeTokenizer bpe = BpeTokenizer.train(BibleCorpus.trainTexts(200), config);
        Path file = dir.resolve("no-punct.json");
        bpe.save(file);
        BpeTokenizer back = BpeTokenizer.load(file);
        assertTrue(!back.isSplitPunctuation());
        String line = "said, “Let";
        assertEquals(back.encode(line), bpe.encode(line));
    }

    @Test
    public void wordLevelSurvivesSaveAndLoad() throws IOException {
        Seq2SeqTokenizer loaded = Tokenizers.load(dir.resolve("word.json"));
        assertTrue(loaded instanceof WordLevelTokenizer);
        assertEquals(loaded.getVocabulary().size(), 7L);
        assertEquals(loaded.encode("c b a d"), new int[] {6, 4, 5, 1});
    }

    @Test
    public void malformedFilesNameTheFileAndField() throws IOException {
        assertBad("not-json.json", "{\"model\": ", "not-json.json");
        assertBad("array.json", "[1, 2]", "not a JSON object");
        assertBad("no-model.json", "{}", "model: missing");
        assertBad("other-type.json", bpeJson.replace("\"BPE\"", "\"Unigram\""), "model.type");
        assertBad(
                "no-fallback.json",
                bpeJson.replace("\"byte_fallback\": true", "\"byte_fallback\": false"),
                "model.byte_fallback");
        assertBad(
                "normalizer.json",
                bpeJson.replace("\"type\": \"NFC\"", "\"type\": \"NFKC\""),
                "normalizer");
        assertBad(
                "pre-tokenizer.json",
                bpeJson.replace("\"MergedWithNext\"", "\"Isolated\""),
                "pre_tokenizer");
        assertBad(
                "added.json",
                bpeJson.replace("\"content\": \"<s>\"", "\"content\": \"<bos>\""),
                "added_tokens");
        assertBad(
                "id-text.json",
                bpeJson.replace("\"<0x00>\": 4", "\"<0x00>\": \"four\""),
                "model.vocab[\"<0x00>\"]: expected an integer id");
        assertBad(
                "id-twice.json",
                bpeJson.replace("\"<0x00>\": 4", "\"<0x00>\": 5"),
                "is also the id of");
        assertBad(
                "byte-missing.json",
                bpeJson.replace("\"<0x00>\": 4", "\"<0x100>\": 4"),
                "byte token <0x00>");
        assertBad(
                "merge-unknown.json",
                bpeJson.replaceFirst("\\[\\s*\"▁\",\\s*\"t\"\\s*\\]", "[\"▁\", \"zz\"]"),
                "model.merges[0]: token 'zz' is not in the vocabulary");
        assertBad(
                "merge-shape.json",
                bpeJson.replaceFirst("\\[\\s*\"▁\",\\s*\"t\"\\s*\\]", "[\"▁\"]"),
                "model.merges[0]: expected");
        assertBad(
                "word-unk.json",
                wordJson.replace("\"unk_token\": \"<unk>\"", "\"unk_token\": \"?\""),
                "model.unk_token");
        IOException missing =
                expectThrows(IOException.class, () -> Tokenizers.load(dir.resolve("absent.json")));
        assertTrue(missing.getMessage().contains("absent.json"), missing.getMessage());
    }

    private void assertBad(String name, String content, String expected) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        IOException e = expectThrows(IOException.class, () -> Tokenizers.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
    }

    private static BpeTrainingConfig config(int vocabSize) {
        return BpeTrainingConfig.builder().optVocabSize(vocabSize).build();
    }
}
