package io.github.djlseq2seq.data;

import java.io.IOException;
import java.nio.file.Path;

/** Loads any tokenizer this project saves, choosing the class from the file's model type. */
public final class Tokenizers {

    private Tokenizers() {}

    /**
     * Loads a tokenizer.json: a {@code BPE} model gives a {@link BpeTokenizer}, a {@code WordLevel}
     * model a {@link WordLevelTokenizer}.
     *
     * @param tokenizerJson the file, or a directory holding {@code tokenizer.json}
     * @return the tokenizer
     * @throws IOException if the file cannot be read, is malformed or has another model type; the
     *     message names the file and the field
     */
    public static Seq2SeqTokenizer load(Path tokenizerJson) throws IOException {
        TokenizerJson json = TokenizerJson.read(tokenizerJson);
        String type = json.string("model.type");
        switch (type) {
            case BpeTokenizer.MODEL_TYPE:
                return BpeTokenizer.fromJson(json);
            case WordLevelTokenizer.MODEL_TYPE:
                return WordLevelTokenizer.fromJson(json);
            default:
                throw json.error(
                        "model.type",
                        "unsupported model type \""
                                + type
                                + "\"; expected \"BPE\" or \"WordLevel\"");
        }
    }
}
