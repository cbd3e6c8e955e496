package io.github.djlseq2seq.data;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads HuggingFace {@code tokenizer.json} files. Reading checks every field it uses and
 * reports a problem as an {@link IOException} naming the file and the field, e.g. {@code
 * tokenizer.json: model.merges[12]: expected [left, right]}.
 */
final class TokenizerJson {

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    private final Path file;
    private final JsonObject root;

    private TokenizerJson(Path file, JsonObject root) {
        this.file = file;
        this.root = root;
    }

    /**
     * Builds a whole tokenizer.json: the special tokens as {@code added_tokens}, a post-processor
     * that wraps a sequence in START and END, and the given parts.
     *
     * @param normalizer the normalizer, or null for none
     * @param preTokenizer the pre-tokenizer
     * @param decoder the decoder, or null for HF's default (tokens joined with spaces)
     * @param model the model
     * @return the document
     */
    static JsonObject document(
            JsonObject normalizer, JsonObject preTokenizer, JsonObject decoder, JsonObject model) {
        JsonObject doc = new JsonObject();
        doc.addProperty("version", "1.0");
        doc.add("truncation", JsonNull.INSTANCE);
        doc.add("padding", JsonNull.INSTANCE);
        doc.add("added_tokens", addedTokensJson());
        doc.add("normalizer", orNull(normalizer));
        doc.add("pre_tokenizer", preTokenizer);
        doc.add("post_processor", postProcessor());
        doc.add("decoder", orNull(decoder));
        doc.add("model", model);
        return doc;
    }

    /**
     * Returns the vocabulary as the {@code vocab} object of a model: token to id, in id order.
     *
     * @param vocabulary the vocabulary
     * @return the object
     */
    static JsonObject vocabJson(TokenVocabulary vocabulary) {
        JsonObject vocab = new JsonObject();
        List<String> tokens = vocabulary.getTokens();
        for (int id = 0; id < tokens.size(); id++) {
            vocab.addProperty(tokens.get(id), id);
        }
        return vocab;
    }

    /**
     * Writes a document as UTF-8 JSON.
     *
     * @param doc the document
     * @param file the file, replaced if it exists
     * @throws IOException if it cannot be written
     */
    static void write(JsonObject doc, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            GSON.toJson(doc, writer);
            writer.write('\n');
        }
    }

    /**
     * Reads a tokenizer.json.
     *
     * @param path the file, or a directory holding {@code tokenizer.json}
     * @return the reader of its fields
     * @throws IOException if it cannot be read or is not a JSON object
     */
    static TokenizerJson read(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        JsonElement root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader);
        } catch (JsonParseException e) {
            throw new IOException("Malformed tokenizer file " + file + ": " + e.getMessage(), e);
        }
        if (!root.isJsonObject()) {
            throw new IOException("Malformed tokenizer file " + file + ": not a JSON object");
        }
        return new TokenizerJson(file, root.getAsJsonObject());
    }

    /**
     * Returns the element at a dotted path, e.g. {@code model.vocab}.
     *
     * @param path the path
     * @return the element
     * @throws IOException if a field on the way is missing
     */
    JsonElement get(String path) throws IOException {
        JsonElement current = root;
        String done = "";
        for (String field : path.split("\\.")) {
            done = done.isEmpty() ? field : done + '.' + field;
            if (!current.isJsonObject() || !current.getAsJsonObject().has(field)) {
                throw error(done, "missing");
            }
            current = current.getAsJsonObject().get(field);
        }
        return current;
    }

    /**
     * Returns the string at a dotted path.
     *
     * @param path the path
     * @return the string
     * @throws IOException if it is missing or not a string
     */
    String string(String path) throws IOException {
        JsonElement element = get(path);
        if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
            throw error(path, "expected a string, found " + element);
        }
        return element.getAsString();
    }

    /**
     * Checks that a field is what this project writes, as it reads nothing else; a missing field
     * counts as null.
     *
     * @param path the dotted path of the field
     * @param expected the element this project writes there
     * @throws IOException naming the field if it differs
     */
    void requireEqual(String path, JsonElement expected) throws IOException {
        if (!matches(path, expected)) {
            throw error(
                    path,
                    "unsupported value (only the form this project writes is read): expected "
                            + expected
                            + ", found "
                            + getOrNull(path));
        }
    }

    /**
     * Tells whether a field equals an element; a missing field counts as null.
     *
     * @param path the dotted path of the field
     * @param expected the element
     * @return true if equal
     */
    boolean matches(String path, JsonElement expected) {
        return expected.equals(getOrNull(path));
    }

    private JsonElement getOrNull(String path) {
        JsonElement current = root;
        for (String field : path.split("\\.")) {
            if (!current.isJsonObject() || !current.getAsJsonObject().has(field)) {
                return JsonNull.INSTANCE;
            }
            current = current.getAsJsonObject().get(field);
        }
        return current;
    }

    /**
     * Reads a {@code vocab} object into tokens in id order; ids must be 0 to n-1, each once.
     *
     * @param path the path of the object
     * @return the tokens, index i holding the token of id i
     * @throws IOException naming the first bad entry
     */
    List<String> vocab(String path) throws IOException {
        JsonElement element = get(path);
        if (!element.isJsonObject()) {
            throw error(path, "expected an object of token to id");
        }
        Map<String, JsonElement> entries = element.getAsJsonObject().asMap();
        String[] tokens = new String[entries.size()];
        for (Map.Entry<String, JsonElement> entry : entries.entrySet()) {
            String where = path + "[\"" + entry.getKey() + "\"]";
            int id = intValue(entry.getValue(), where);
            if (id < 0 || id >= tokens.length) {
                throw error(where, "id " + id + " is outside 0.." + (tokens.length - 1));
            }
            if (tokens[id] != null) {
                throw error(where, "id " + id + " is also the id of '" + tokens[id] + "'");
            }
            tokens[id] = entry.getKey();
        }
        return Arrays.asList(tokens);
    }

    /**
     * Reads a {@code merges} array: pairs {@code ["left", "right"]}, or HF's older {@code "left
     * right"} strings.
     *
     * @param path the path of the array
     * @param vocabulary the vocabulary the merges refer to
     * @return the merges as {@code {leftId, rightId}}, in rank order
     * @throws IOException naming the first bad merge
     */
    List<int[]> merges(String path, TokenVocabulary vocabulary) throws IOException {
        JsonElement element = get(path);
        if (!element.isJsonArray()) {
            throw error(path, "expected an array of merges");
        }
        JsonArray array = element.getAsJsonArray();
        List<int[]> merges = new ArrayList<>(array.size());
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            String where = path + '[' + i + ']';
            String[] pair = mergePair(array.get(i), where);
            int[] merge = new int[2];
            for (int side = 0; side < 2; side++) {
                merge[side] = ids.computeIfAbsent(pair[side], vocabulary::idOf);
                if (merge[side] < 0) {
                    throw error(where, "token '" + pair[side] + "' is not in the vocabulary");
                }
            }
            if (vocabulary.idOf(pair[0] + pair[1]) < 0) {
                throw error(where, "'" + pair[0] + pair[1] + "' is not in the vocabulary");
            }
            merges.add(merge);
        }
        return merges;
    }

    /**
     * Makes the error for a field.
     *
     * @param path the field
     * @param message what is wrong
     * @return the exception, naming file and field
     */
    IOException error(String path, String message) {
        return new IOException("Malformed tokenizer file " + file + ": " + path + ": " + message);
    }

    private String[] mergePair(JsonElement element, String where) throws IOException {
        if (element.isJsonArray()) {
            JsonArray pair = element.getAsJsonArray();
            if (pair.size() == 2 && isString(pair.get(0)) && isString(pair.get(1))) {
                return new String[] {pair.get(0).getAsString(), pair.get(1).getAsString()};
            }
        } else if (isString(element)) {
            String[] pair = element.getAsString().split(" ", -1);
            if (pair.length == 2) {
                return pair;
            }
        }
        throw error(where, "expected [\"left\", \"right\"] or \"left right\", found " + element);
    }

    private int intValue(JsonElement element, String where) throws IOException {
        if (element.isJsonPrimitive() && element.getAsJsonPrimitive().isNumber()) {
            double value = element.getAsDouble();
            if (value == Math.rint(value) && Math.abs(value) < Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw error(where, "expected an integer id, found " + element);
    }

    private static boolean isString(JsonElement element) {
        return element.isJsonPrimitive() && element.getAsJsonPrimitive().isString();
    }

    /**
     * Returns the {@code added_tokens} this project writes: the four special tokens, matched in raw
     * text and skipped when decoding.
     *
     * @return the array
     */
    static JsonArray addedTokensJson() {
        JsonArray added = new JsonArray();
        for (int id = 0; id < SpecialTokens.ALL.size(); id++) {
            JsonObject token = new JsonObject();
            token.addProperty("id", id);
            token.addProperty("content", SpecialTokens.ALL.get(id));
            token.addProperty("single_word", false);
            token.addProperty("lstrip", false);
            token.addProperty("rstrip", false);
            token.addProperty("normalized", false);
            token.addProperty("special", true);
            added.add(token);
        }
        return added;
    }

    private static JsonObject postProcessor() {
        JsonArray single = new JsonArray();
        single.add(special(SpecialTokens.START, 0));
        single.add(sequence("A", 0));
        single.add(special(SpecialTokens.END, 0));
        JsonArray pair = new JsonArray();
        pair.add(special(SpecialTokens.START, 0));
        pair.add(sequence("A", 0));
        pair.add(special(SpecialTokens.END, 0));
        pair.add(sequence("B", 1));
        pair.add(special(SpecialTokens.END, 1));
        JsonObject specials = new JsonObject();
        specials.add(
                SpecialTokens.START, specialEntry(SpecialTokens.START, SpecialTokens.START_ID));
        specials.add(SpecialTokens.END, specialEntry(SpecialTokens.END, SpecialTokens.END_ID));
        JsonObject processor = new JsonObject();
        processor.addProperty("type", "TemplateProcessing");
        processor.add("single", single);
        processor.add("pair", pair);
        processor.add("special_tokens", specials);
        return processor;
    }

    private static JsonObject special(String token, int typeId) {
        JsonObject inner = new JsonObject();
        inner.addProperty("id", token);
        inner.addProperty("type_id", typeId);
        JsonObject outer = new JsonObject();
        outer.add("SpecialToken", inner);
        return outer;
    }

    private static JsonObject sequence(String id, int typeId) {
        JsonObject inner = new JsonObject();
        inner.addProperty("id", id);
        inner.addProperty("type_id", typeId);
        JsonObject outer = new JsonObject();
        outer.add("Sequence", inner);
        return outer;
    }

    private static JsonObject specialEntry(String token, int id) {
        JsonObject entry = new JsonObject();
        entry.addProperty("id", token);
        JsonArray ids = new JsonArray();
        ids.add(new JsonPrimitive(id));
        entry.add("ids", ids);
        JsonArray tokens = new JsonArray();
        tokens.add(token);
        entry.add("tokens", tokens);
        return entry;
    }

    private static JsonElement orNull(JsonElement element) {
        return element == null ? JsonNull.INSTANCE : element;
    }
}
