package io.github.djlseq2seq.data;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * A word-level tokenizer for toy tasks: words are the runs of non-whitespace characters, each word
 * of the vocabulary has one id, any other word is UNK. Saved as a HuggingFace {@code
 * tokenizer.json} with a {@code WordLevel} model and a {@code WhitespaceSplit} pre-tokenizer, which
 * gives the same ids in HuggingFace tokenizers.
 *
 * <p>Whitespace is Unicode's White_Space property (what Rust's {@code char::is_whitespace} and so
 * HuggingFace use); there is no other normalisation. {@code decode} joins the words with single
 * spaces, so {@code decode(encode(s))} is {@code s} with whitespace runs collapsed and trimmed,
 * provided every word of {@code s} is in the vocabulary. The literal texts of the special tokens
 * are read as those tokens, as in HuggingFace.
 */
public final class WordLevelTokenizer implements Seq2SeqTokenizer {

    /** The {@code model.type} of a word-level tokenizer.json. */
    static final String MODEL_TYPE = "WordLevel";

    private final TokenVocabulary vocabulary;

    private WordLevelTokenizer(TokenVocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /**
     * Makes a tokenizer from a vocabulary.
     *
     * @param vocabulary the vocabulary, special tokens first
     * @return the tokenizer
     */
    public static WordLevelTokenizer of(TokenVocabulary vocabulary) {
        return new WordLevelTokenizer(vocabulary);
    }

    /**
     * Builds the vocabulary from training text: words by decreasing count (ties in string order),
     * as many as the configuration allows.
     *
     * @param texts the training texts
     * @param config the minimum count and maximum size
     * @return the tokenizer
     */
    public static WordLevelTokenizer train(Iterable<String> texts, WordLevelTrainingConfig config) {
        Map<String, long[]> counts = new HashMap<>();
        int index = 0;
        for (String text : texts) {
            if (text == null) {
                throw new IllegalArgumentException("training text " + index + " is null");
            }
            forEachPiece(text, w -> counts.computeIfAbsent(w, k -> new long[1])[0]++, id -> {});
            index++;
        }
        List<String> tokens = new ArrayList<>(SpecialTokens.ALL);
        counts.entrySet().stream()
                .filter(e -> e.getValue()[0] >= config.getMinCount())
                .sorted(
                        Comparator.<Map.Entry<String, long[]>>comparingLong(e -> -e.getValue()[0])
                                .thenComparing(Map.Entry::getKey))
                .limit(config.getMaxSize() - (long) tokens.size())
                .forEach(e -> tokens.add(e.getKey()));
        return new WordLevelTokenizer(TokenVocabulary.of(tokens));
    }

    /**
     * Loads a tokenizer.json written by {@link #save(Path)}.
     *
     * @param file the file, or a directory holding {@code tokenizer.json}
     * @return the tokenizer
     * @throws IOException if it cannot be read or is not a word-level tokenizer in the form this
     *     class writes; the message names the file and the field
     */
    public static WordLevelTokenizer load(Path file) throws IOException {
        return fromJson(TokenizerJson.read(file));
    }

    /**
     * Reads a word-level tokenizer from a parsed tokenizer.json.
     *
     * @param json the file's fields
     * @return the tokenizer
     * @throws IOException naming the file and the first field that is missing or unsupported
     */
    static WordLevelTokenizer fromJson(TokenizerJson json) throws IOException {
        String type = json.string("model.type");
        if (!MODEL_TYPE.equals(type)) {
            throw json.error("model.type", "expected \"" + MODEL_TYPE + "\", found " + type);
        }
        JsonObject expected = modelJson(null);
        json.requireEqual("model.unk_token", expected.get("unk_token"));
        json.requireEqual("added_tokens", TokenizerJson.addedTokensJson());
        json.requireEqual("normalizer", JsonNull.INSTANCE);
        json.requireEqual("pre_tokenizer", preTokenizerJson());
        json.requireEqual("decoder", JsonNull.INSTANCE);
        try {
            return new WordLevelTokenizer(TokenVocabulary.of(json.vocab("model.vocab")));
        } catch (IllegalArgumentException e) {
            throw json.error("model.vocab", e.getMessage());
        }
    }

    /** {@inheritDoc} */
    @Override
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text");
        IdList ids = new IdList(16);
        forEachPiece(text, word -> ids.add((int) vocabulary.getIndex(word)), ids::add);
        return ids.toArray();
    }

    /** {@inheritDoc} */
    @Override
    public String decode(int[] ids) {
        StringJoiner text = new StringJoiner(" ");
        for (int id : ids) {
            if (id < 0 || id >= vocabulary.size()) {
                throw new IllegalArgumentException(
                        "id " + id + " is outside the vocabulary of size " + vocabulary.size());
            }
            if (!SpecialTokens.isSpecial(id)) {
                text.add(vocabulary.getToken(id));
            }
        }
        return text.toString();
    }

    /** {@inheritDoc} */
    @Override
    public TokenVocabulary getVocabulary() {
        return vocabulary;
    }

    /** {@inheritDoc} */
    @Override
    public void save(Path file) throws IOException {
        JsonObject model = modelJson(TokenizerJson.vocabJson(vocabulary));
        TokenizerJson.write(TokenizerJson.document(null, preTokenizerJson(), null, model), file);
    }

    private static JsonObject modelJson(JsonObject vocab) {
        JsonObject model = new JsonObject();
        model.addProperty("type", MODEL_TYPE);
        model.add("vocab", vocab);
        model.addProperty("unk_token", SpecialTokens.UNK);
        return model;
    }

    private static JsonObject preTokenizerJson() {
        JsonObject preTokenizer = new JsonObject();
        preTokenizer.addProperty("type", "WhitespaceSplit");
        return preTokenizer;
    }

    /** Feeds the words of a text, and the special tokens written in it, in order. */
    private static void forEachPiece(String text, Consumer<String> words, IntConsumer specials) {
        SpecialTokenSplitter.split(
                text,
                new SpecialTokenSplitter.Sink() {
                    @Override
                    public void text(String piece) {
                        splitOnWhitespace(piece, words);
                    }

                    @Override
                    public void special(int id) {
                        specials.accept(id);
                    }
                });
    }

    private static void splitOnWhitespace(String text, Consumer<String> words) {
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (isWhiteSpace(cp)) {
                if (start >= 0) {
                    words.accept(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            words.accept(text.substring(start));
        }
    }

    /**
     * Tells whether a code point has Unicode's White_Space property, as Rust's {@code
     * char::is_whitespace} does (Java's {@code Character.isWhitespace} differs).
     */
    private static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0d)
                || cp == 0x20
                || cp == 0x85
                || cp == 0xa0
                || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200a)
                || cp == 0x2028
                || cp == 0x2029
                || cp == 0x202f
                || cp == 0x205f
                || cp == 0x3000;
    }
}
