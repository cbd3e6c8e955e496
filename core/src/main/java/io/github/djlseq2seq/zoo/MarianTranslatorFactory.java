package io.github.djlseq2seq.zoo;

import ai.djl.Model;
import ai.djl.translate.Translator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Makes the translator of a Hugging Face MarianMT checkpoint: its SentencePiece tokenizers, and
 * generation_config.json's settings overridden by the criteria arguments (see {@link
 * MarianCheckpoint#translator}); {@code String → String} or {@code TranslationRequest →
 * TranslationResult} (see {@link MarianCheckpoint#requestTranslator}).
 */
public class MarianTranslatorFactory extends Seq2SeqTranslatorFactory {

    /** {@inheritDoc} */
    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments) {
        boolean requests = isRequests(input, output);
        Path dir = model.getModelPath();
        try {
            return (Translator<I, O>)
                    (requests
                            ? MarianCheckpoint.requestTranslator(dir, arguments)
                            : MarianCheckpoint.translator(dir, arguments));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
