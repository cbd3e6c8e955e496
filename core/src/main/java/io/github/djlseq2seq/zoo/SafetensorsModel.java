package io.github.djlseq2seq.zoo;

import ai.djl.repository.zoo.Criteria;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a model directory made outside djl-seq2seq, e.g. by the PyTorch module {@code
 * python/djl_seq2seq_torch.py} ({@code save_pretrained}): {@code model.safetensors}, {@code
 * config.json} (a {@code TransformerConfig}) and {@code tokenizer.json} (or {@code
 * source-tokenizer.json} and {@code target-tokenizer.json}), without the {@code serving.properties}
 * of an export.
 *
 * <pre>
 *   try (ZooModel&lt;String, String&gt; model = SafetensorsModel.criteria(dir).build().loadModel();
 *           Predictor&lt;String, String&gt; predictor = model.newPredictor()) {
 *       predictor.predict("In the beginning God created the heaven and the earth.");
 *   }
 * </pre>
 *
 * <p>The Criteria names the factories that {@code serving.properties} names in an export, so the
 * parameters are checked exactly as an export's (see {@link SafetensorsFiles}). Decoding options
 * take their defaults unless Criteria arguments set them ({@link Seq2SeqTranslatorFactory}).
 */
public final class SafetensorsModel {

    private SafetensorsModel() {}

    /**
     * Tells whether a directory is such a model: {@code model.safetensors} and {@code config.json},
     * and no {@code serving.properties} (an export, which {@code Criteria} loads unaided).
     *
     * @param dir the directory
     * @return whether {@link #criteria} applies
     */
    public static boolean isModelDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve(Seq2SeqArtifact.SAFETENSORS))
                && Files.isRegularFile(dir.resolve(Seq2SeqArtifact.CONFIG))
                && !Files.exists(dir.resolve(Seq2SeqArtifact.SERVING_PROPERTIES));
    }

    /**
     * Returns a Criteria builder that loads the model of a directory, with a {@code String →
     * String} translator; add arguments (e.g. {@code beamSize}) or a device before building it.
     *
     * @param dir the model directory
     * @return the builder
     */
    public static Criteria.Builder<String, String> criteria(Path dir) {
        return criteria(dir, String.class, String.class);
    }

    /**
     * Returns a Criteria builder that loads the model of a directory, with any of the translator
     * factory's types (e.g. {@code TranslationRequest → TranslationResult}).
     *
     * @param dir the model directory
     * @param input the translator's input type
     * @param output the translator's output type
     * @param <I> the input type
     * @param <O> the output type
     * @return the builder
     */
    public static <I, O> Criteria.Builder<I, O> criteria(
            Path dir, Class<I> input, Class<O> output) {
        return Criteria.builder()
                .setTypes(input, output)
                .optModelPath(dir)
                .optEngine("PyTorch")
                .optArgument("blockFactory", new Seq2SeqBlockFactory())
                .optOption("hasParameter", "false") // the block factory loads them
                .optTranslatorFactory(new Seq2SeqTranslatorFactory());
    }
}
