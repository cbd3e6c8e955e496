package io.github.djlseq2seq.zoo;

import java.nio.file.Path;

/**
 * The files of an exported djl-seq2seq model, a DJL model artifact (a directory, or the same files
 * in a {@code .zip}):
 *
 * <pre>
 *   seq2seq-0000.params   parameters, DJL's .params format, or
 *   model.safetensors     the same parameters as safetensors, under the names of the PyTorch
 *                         module python/djl_seq2seq_torch.py ({@link TorchLayout})
 *   config.json           the {@code TransformerConfig}
 *   tokenizer.json        the tokenizer, HuggingFace format (source and target share it), or
 *   source-tokenizer.json and target-tokenizer.json when the vocabularies are separate
 *   serving.properties    engine, BlockFactory, TranslatorFactory, model name, decoding options
 *   model/nlp/machine_translation/io/github/djlseq2seq/ARTIFACT_ID/metadata.json
 *                         DJL repository metadata: the artifact id and version, each file with
 *                         its SHA-1, and the factories
 * </pre>
 *
 * <p>DJL chooses the {@code TranslatorFactory} from the Criteria and the artifact's arguments
 * <em>before</em> it reads {@code serving.properties}; {@link Seq2SeqRepositoryFactory} adds the
 * factory named in {@code serving.properties} to those arguments, and loads a directory in place.
 * The nested {@code metadata.json} is read by {@link ModelImporter} (which checks the SHA-1s) and
 * {@link ModelRepository} (which publishes the model under its id and version).
 */
public final class Seq2SeqArtifact {

    /** The model zoo group id of djl-seq2seq models. */
    public static final String GROUP_ID = "io.github.djlseq2seq";

    /** The DJL application path of djl-seq2seq models. */
    public static final String APPLICATION = "nlp/machine_translation";

    /** The model name, and prefix of the parameter file. */
    public static final String MODEL_NAME = "seq2seq";

    /** The parameter file, as DJL's {@code Model.save} names it. */
    public static final String PARAMETERS = MODEL_NAME + "-0000.params";

    /** The parameter file of a safetensors export ({@link SafetensorsFiles}). */
    public static final String SAFETENSORS = "model.safetensors";

    /** The model configuration. */
    public static final String CONFIG = "config.json";

    /** The shared tokenizer. */
    public static final String TOKENIZER = "tokenizer.json";

    /** The source tokenizer when vocabularies are separate. */
    public static final String SOURCE_TOKENIZER = "source-tokenizer.json";

    /** The target tokenizer when vocabularies are separate. */
    public static final String TARGET_TOKENIZER = "target-tokenizer.json";

    /** The file DJL's Criteria reads the factories and options from. */
    public static final String SERVING_PROPERTIES = "serving.properties";

    /** The DJL repository metadata file. */
    public static final String METADATA = "metadata.json";

    private Seq2SeqArtifact() {}

    /**
     * Returns where DJL's {@code LocalRepository} looks for the metadata of a model of this group,
     * relative to the repository root: {@code model/nlp/machine_translation/io/github/djlseq2seq/
     * ARTIFACT_ID/metadata.json}.
     *
     * @param root the repository root
     * @param artifactId the artifact id
     * @return the metadata file
     */
    public static Path metadataFile(Path root, String artifactId) {
        return artifactDirectory(root, artifactId).resolve(METADATA);
    }

    /**
     * Returns the directory of an artifact in a DJL local repository (see {@link #metadataFile}).
     *
     * @param root the repository root
     * @param artifactId the artifact id
     * @return the directory
     */
    public static Path artifactDirectory(Path root, String artifactId) {
        Path dir = root.resolve("model");
        for (String part : APPLICATION.split("/")) {
            dir = dir.resolve(part);
        }
        for (String part : GROUP_ID.split("\\.")) {
            dir = dir.resolve(part);
        }
        return dir.resolve(artifactId);
    }
}
