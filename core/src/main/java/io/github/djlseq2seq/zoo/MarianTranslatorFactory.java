package io.github.djlseq2seq.zoo;

import ai.djl.Model;
import ai.djl.translate.Translator;
import io.github.djlseq2seq.inference.DecodingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Makes the translator of a Hugging Face MarianMT checkpoint: its SentencePiece tokenizers, and
 * generation_config.json's settings overridden by the criteria arguments (see {@link
 * MarianCheckpoint#options}), for any of {@link Seq2SeqTranslatorFactory}'s types ({@code String →
 * String}, {@code TranslationRequest → TranslationResult}, {@code Input → Output}).
 */
public class MarianTranslatorFactory extends Seq2SeqTranslatorFactory {

    /** {@inheritDoc} */
    @Override
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments) {
        Path dir = model.getModelPath();
        Function<Map<String, ?>, DecodingOptions> options =
                args -> {
                    try {
                        return MarianCheckpoint.options(dir, args);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e.getMessage(), e);
                    }
                };
        try {
            return translator(input, output, MarianCheckpoint.tokenizers(dir), arguments, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
