package io.github.djlseq2seq.data;

import ai.djl.modality.nlp.DefaultVocabulary;
import ai.djl.modality.nlp.Vocabulary;
import ai.djl.sentencepiece.SpTokenizer;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One side of a Marian (OPUS-MT) tokenizer, as Hugging Face's {@code MarianTokenizer}: a
 * SentencePiece model ({@code source.spm} or {@code target.spm}) splits text into pieces, and
 * {@code vocab.json} maps pieces to Marian ids, which {@link MarianIds} maps to ours.
 *
 * <p>Encoding: a leading language code such as {@code >>es<<} (multilingual models) is kept as one
 * token and the rest is split by SentencePiece; pieces missing from vocab.json become UNK.
 * Decoding: the special ids (PAD, UNK, START, END) are dropped, as by Hugging Face's {@code
 * decode(ids, skip_special_tokens=True)}, and SentencePiece joins the pieces.
 *
 * <p>SentencePiece runs through DJL's binding ({@code ai.djl.sentencepiece}), which bundles the
 * native library; an instance holds a native model and is safe to share between threads.
 */
public final class MarianTokenizer implements Seq2SeqTokenizer {

    private static final Pattern LANGUAGE_CODE = Pattern.compile(">>.+<<");

    private final SpTokenizer sentencePiece;
    private final Map<String, Integer> ids; // piece → our id
    private final List<String> tokens; // our id → piece
    private final Vocabulary vocabulary;

    private MarianTokenizer(SpTokenizer sentencePiece, Map<String, Integer> ids, String[] tokens) {
        this.sentencePiece = sentencePiece;
        this.ids = ids;
        this.tokens = List.of(tokens);
        vocabulary = new DefaultVocabulary(this.tokens);
    }

    /**
     * Loads one side of a Marian tokenizer.
     *
     * @param spm the SentencePiece model, {@code source.spm} or {@code target.spm}
     * @param vocabJson Marian's {@code vocab.json} (piece → Marian id)
     * @param marianIds the id mapping of the checkpoint
     * @return the tokenizer
     * @throws IOException if a file cannot be read or is malformed; the message names the file
     */
    public static MarianTokenizer load(Path spm, Path vocabJson, MarianIds marianIds)
            throws IOException {
        Map<String, Integer> marian = readVocabulary(vocabJson);
        if (marian.size() + 1 != marianIds.size()) {
            throw new IOException(
                    vocabJson
                            + ": holds "
                            + marian.size()
                            + " pieces but config.json's vocab_size is "
                            + (marianIds.size() - 1));
        }
        String[] tokens = new String[marianIds.size()];
        Map<String, Integer> ids = new HashMap<>();
        for (Map.Entry<String, Integer> e : marian.entrySet()) {
            int id = e.getValue();
            if (id < 0 || id >= marian.size() || tokens[marianIds.toOurs(id)] != null) {
                throw new IOException(
                        vocabJson + ": piece " + e.getKey() + " has a bad or repeated id " + id);
            }
            tokens[marianIds.toOurs(id)] = e.getKey();
            ids.put(e.getKey(), marianIds.toOurs(id));
        }
        tokens[SpecialTokens.START_ID] = SpecialTokens.START;
        if (!Files.isRegularFile(spm)) {
            throw new IOException("Missing SentencePiece model " + spm);
        }
        try {
            return new MarianTokenizer(new SpTokenizer(spm), ids, tokens);
        } catch (RuntimeException e) { // the native loader's own exception
            throw new IOException(spm + ": not a SentencePiece model (" + e.getMessage() + ")", e);
        }
    }

    private static Map<String, Integer> readVocabulary(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Missing Marian vocabulary " + file);
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Map<String, Integer> map =
                    new Gson().fromJson(r, new TypeToken<Map<String, Integer>>() {}.getType());
            if (map == null || map.isEmpty()) {
                throw new IOException(file + ": empty vocabulary");
            }
            return map;
        } catch (JsonParseException e) {
            throw new IOException(file + ": not a JSON object of piece → id (" + e + ")", e);
        }
    }

    /** {@inheritDoc} */
    @Override
    public int[] encode(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher code = LANGUAGE_CODE.matcher(text);
        if (code.lookingAt()) {
            pieces.add(code.group());
        }
        pieces.addAll(sentencePiece.tokenize(LANGUAGE_CODE.matcher(text).replaceAll("")));
        return pieces.stream().mapToInt(p -> ids.getOrDefault(p, SpecialTokens.UNK_ID)).toArray();
    }

    /** {@inheritDoc} */
    @Override
    public String decode(int[] ids) {
        List<String> pieces =
                Arrays.stream(ids)
                        .filter(id -> !SpecialTokens.isSpecial(id) && id < tokens.size())
                        .mapToObj(tokens::get)
                        .toList();
        return sentencePiece.buildSentence(pieces).replace('\u2581', ' ').strip();
    }

    /** {@inheritDoc} */
    @Override
    public Vocabulary getVocabulary() {
        return vocabulary;
    }

    /**
     * Refuses: a Marian tokenizer is its checkpoint's source.spm, target.spm and vocab.json, which
     * are copied as they are.
     *
     * @param file ignored
     * @throws IOException always
     */
    @Override
    public void save(Path file) throws IOException {
        throw new IOException(
                "A Marian tokenizer is not saved as "
                        + file.getFileName()
                        + ": copy the checkpoint's source.spm, target.spm and vocab.json");
    }
}
