package io.github.djlseq2seq.zoo;

/**
 * The files of an exported djl-seq2seq model directory, a DJL model-zoo artifact:
 *
 * <pre>
 *   seq2seq-0000.params   parameters, DJL's .params format
 *   config.json           the {@code TransformerConfig}
 *   tokenizer.json        the tokenizer, HuggingFace format (source and target share it), or
 *   source-tokenizer.json and target-tokenizer.json when the vocabularies are separate
 *   serving.properties    engine, BlockFactory, TranslatorFactory, model name, decoding options
 * </pre>
 */
public final class Seq2SeqArtifact {

    /** The model name, and prefix of the parameter file. */
    public static final String MODEL_NAME = "seq2seq";

    /** The parameter file, as DJL's {@code Model.save} names it. */
    public static final String PARAMETERS = MODEL_NAME + "-0000.params";

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

    private Seq2SeqArtifact() {}
}
