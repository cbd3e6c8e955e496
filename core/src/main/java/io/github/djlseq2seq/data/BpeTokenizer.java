package io.github.djlseq2seq.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A subword BPE tokenizer with byte fallback, trained in Java, saved as a HuggingFace {@code
 * tokenizer.json} that gives exactly the same ids in HuggingFace tokenizers (and in DJL's {@code
 * HuggingFaceTokenizer}).
 *
 * <p>Vocabulary: ids 0-3 are the {@link SpecialTokens}, ids 4-259 the byte tokens {@code <0x00>} to
 * {@code <0xFF>}, then the characters of the training text, then the merged tokens. A character
 * outside the vocabulary is encoded as its UTF-8 bytes, so no text ever gives UNK or an exception.
 *
 * <p>Normalisation, sentencepiece-like: Unicode NFC (lone UTF-16 surrogates become U+FFFD), a
 * {@code ▁} (U+2581) before the text and in place of each space U+0020; words start at each {@code
 * ▁}, and by default each punctuation character is a word of its own. Case, whitespace runs, tabs
 * and other characters are kept. Hence {@code decode(encode(s))} equals {@code s} in NFC, except
 * that a U+2581 in {@code s} comes back as a space and that the literal texts {@code <pad>}, {@code
 * <unk>}, {@code <s>}, {@code </s>} are read as those special tokens (as HuggingFace does) and so
 * vanish in decoding. NFC uses the JDK's Unicode tables (Unicode 13 on Java 17); characters
 * assigned later could normalise differently in HuggingFace, whose tables are newer.
 *
 * <p>Instances are immutable and thread-safe; encoded words are cached.
 */
public final class BpeTokenizer implements Seq2SeqTokenizer {

    /** The {@code model.type} of a BPE tokenizer.json. */
    static final String MODEL_TYPE = "BPE";

    /** The model settings this class reads, each required to have the value it writes. */
    private static final List<String> MODEL_FLAGS =
            List.of(
                    "dropout",
                    "unk_token",
                    "continuing_subword_prefix",
                    "end_of_word_suffix",
                    "fuse_unk",
                    "byte_fallback",
                    "ignore_merges");

    private final BpeModel model;
    private final BpePreTokenizer preTokenizer;

    /**
     * Makes a tokenizer from its parts; see {@link #train} and {@link #load}.
     *
     * @param model the vocabulary and merges
     * @param preTokenizer the word splitting
     */
    BpeTokenizer(BpeModel model, BpePreTokenizer preTokenizer) {
        this.model = model;
        this.preTokenizer = preTokenizer;
    }

    /**
     * Learns a tokenizer from training text. For one vocabulary shared by source and target, pass
     * the texts of both sides; for separate ones, train twice.
     *
     * @param texts the training texts, e.g. one line each
     * @param config the vocabulary size and other settings
     * @return the trained tokenizer
     */
    public static BpeTokenizer train(Iterable<String> texts, BpeTrainingConfig config) {
        return BpeTrainer.train(texts, config);
    }

    /**
     * Loads a tokenizer.json written by {@link #save(Path)}.
     *
     * @param file the file, or a directory holding {@code tokenizer.json}
     * @return the tokenizer
     * @throws IOException if it cannot be read, or is not a BPE tokenizer in the form this class
     *     writes; the message names the file and the field
     */
    public static BpeTokenizer load(Path file) throws IOException {
        return fromJson(TokenizerJson.read(file));
    }

    /**
     * Reads a BPE tokenizer from a parsed tokenizer.json.
     *
     * @param json the file's fields
     * @return the tokenizer
     * @throws IOException naming the file and the first field that is missing or unsupported
     */
    static BpeTokenizer fromJson(TokenizerJson json) throws IOException {
        String type = json.string("model.type");
        if (!MODEL_TYPE.equals(type)) {
            throw json.error("model.type", "expected \"" + MODEL_TYPE + "\", found " + type);
        }
        JsonObject expectedModel = modelJson(null, null);
        for (String field : MODEL_FLAGS) {
            json.requireEqual("model." + field, expectedModel.get(field));
        }
        BpePreTokenizer preTokenizer = new BpePreTokenizer(true);
        if (!json.matches("pre_tokenizer", preTokenizer.preTokenizerJson())) {
            preTokenizer = new BpePreTokenizer(false);
        }
        json.requireEqual("added_tokens", TokenizerJson.addedTokensJson());
        json.requireEqual("normalizer", BpePreTokenizer.normalizerJson());
        json.requireEqual("pre_tokenizer", preTokenizer.preTokenizerJson());
        json.requireEqual("decoder", BpePreTokenizer.decoderJson());
        TokenVocabulary vocabulary;
        List<int[]> merges;
        try {
            vocabulary = TokenVocabulary.of(json.vocab("model.vocab"));
            merges = json.merges("model.merges", vocabulary);
            return new BpeTokenizer(new BpeModel(vocabulary, merges), preTokenizer);
        } catch (IllegalArgumentException e) {
            throw json.error("model", e.getMessage());
        }
    }

    /** {@inheritDoc} */
    @Override
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text");
        IdList ids = new IdList(text.length() / 3 + 4);
        SpecialTokenSplitter.split(
                text,
                new SpecialTokenSplitter.Sink() {
                    @Override
                    public void text(String piece) {
                        preTokenizer.split(
                                BpePreTokenizer.normalize(piece),
                                word -> model.encodeWord(word, ids));
                    }

                    @Override
                    public void special(int id) {
                        ids.add(id);
                    }
                });
        return ids.toArray();
    }

    /** {@inheritDoc} */
    @Override
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TokenVocabulary vocabulary = model.getVocabulary();
        for (int id : ids) {
            if (id < 0 || id >= vocabulary.size()) {
                throw new IllegalArgumentException(
                        "id " + id + " is outside the vocabulary of size " + vocabulary.size());
            }
            if (SpecialTokens.isSpecial(id)) {
                continue;
            }
            if (id < BpeModel.FIRST_BYTE_ID + 256) {
                bytes.write(id - BpeModel.FIRST_BYTE_ID);
                continue;
            }
            flushBytes(bytes, text);
            text.append(vocabulary.getToken(id));
        }
        flushBytes(bytes, text);
        String decoded = text.toString().replace(BpePreTokenizer.SPACE_MARK, ' ');
        return decoded.startsWith(" ") ? decoded.substring(1) : decoded;
    }

    /** {@inheritDoc} */
    @Override
    public TokenVocabulary getVocabulary() {
        return model.getVocabulary();
    }

    /**
     * Returns the merges in rank order, each as its two token texts.
     *
     * @return the merges, first learned first
     */
    public List<String[]> getMerges() {
        TokenVocabulary vocabulary = model.getVocabulary();
        return model.getMerges().stream()
                .map(m -> new String[] {vocabulary.getToken(m[0]), vocabulary.getToken(m[1])})
                .toList();
    }

    /**
     * Tells whether punctuation characters are words of their own.
     *
     * @return true if punctuation is split
     */
    public boolean isSplitPunctuation() {
        return preTokenizer.splitsPunctuation();
    }

    /** {@inheritDoc} */
    @Override
    public void save(Path file) throws IOException {
        JsonObject doc =
                TokenizerJson.document(
                        BpePreTokenizer.normalizerJson(),
                        preTokenizer.preTokenizerJson(),
                        BpePreTokenizer.decoderJson(),
                        modelJson(TokenizerJson.vocabJson(model.getVocabulary()), mergesJson()));
        TokenizerJson.write(doc, file);
    }

    private JsonArray mergesJson() {
        JsonArray merges = new JsonArray();
        for (String[] merge : getMerges()) {
            JsonArray pair = new JsonArray();
            pair.add(merge[0]);
            pair.add(merge[1]);
            merges.add(pair);
        }
        return merges;
    }

    private static JsonObject modelJson(JsonObject vocab, JsonArray merges) {
        JsonObject json = new JsonObject();
        json.addProperty("type", MODEL_TYPE);
        json.add("dropout", JsonNull.INSTANCE);
        json.addProperty("unk_token", SpecialTokens.UNK);
        json.add("continuing_subword_prefix", JsonNull.INSTANCE);
        json.add("end_of_word_suffix", JsonNull.INSTANCE);
        json.addProperty("fuse_unk", true);
        json.addProperty("byte_fallback", true);
        json.addProperty("ignore_merges", false);
        json.add("vocab", vocab);
        json.add("merges", merges);
        return json;
    }

    /** Appends pending byte tokens as UTF-8 text; invalid UTF-8 gives one U+FFFD per byte. */
    private static void flushBytes(ByteArrayOutputStream bytes, StringBuilder text) {
        if (bytes.size() == 0) {
            return;
        }
        byte[] pending = bytes.toByteArray();
        bytes.reset();
        try {
            text.append(
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(pending)));
        } catch (CharacterCodingException e) {
            text.append("\ufffd".repeat(pending.length));
        }
    }
}
