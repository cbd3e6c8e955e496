package io.github.djlseq2seq.zoo;

import ai.djl.Model;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.util.FileUtils;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a trained model as a DJL model artifact (see {@link Seq2SeqArtifact}): a directory, or the
 * same files in a {@code .zip} when the output name ends with {@code .zip}.
 *
 * <pre>
 *   ModelExporter.builder()
 *           .setModel(model)                 // its block: an initialised Seq2SeqTransformer
 *           .setTokenizer(tokenizer)         // or setTokenizers(source, target)
 *           .optDecodingOptions(options)     // written to serving.properties
 *           .optArtifactId("bible-en-es")
 *           .optFormat(Format.SAFETENSORS)   // model.safetensors instead of seq2seq-0000.params
 *           .build()
 *           .export(Path.of("bible-en-es"));  // or "bible-en-es.zip"
 * </pre>
 *
 * <p>With {@link Format#SAFETENSORS} the parameters are written as {@code model.safetensors} under
 * the names of the PyTorch module {@code python/djl_seq2seq_torch.py} (see {@link TorchLayout}),
 * which loads the directory with {@code Seq2SeqTransformer.from_pretrained}; DJL's {@code Criteria}
 * loads either format.
 *
 * <p>The output is written next to its target under a temporary name and renamed into place when
 * complete; an existing target is replaced only with {@code optOverwrite(true)}.
 */
public final class ModelExporter {

    /** The artifact id used when none is given. */
    public static final String DEFAULT_ARTIFACT_ID = "seq2seq";

    /** The artifact version used when none is given. */
    public static final String DEFAULT_VERSION = "1.0.0";

    private static final Pattern ARTIFACT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+)*");

    private final Model model;
    private final Seq2SeqTokenizer source;
    private final Seq2SeqTokenizer target;
    private final DecodingOptions options;
    private final String artifactId;
    private final String version;
    private final boolean overwrite;
    private final Format format;

    /** How the parameters are written. */
    public enum Format {
        /** DJL's {@code .params} file, {@value Seq2SeqArtifact#PARAMETERS} (the default). */
        PARAMS,
        /** {@value Seq2SeqArtifact#SAFETENSORS}, under the PyTorch module's names. */
        SAFETENSORS
    }

    private ModelExporter(Builder b) {
        model = b.model;
        source = b.source;
        target = b.target;
        options = b.options;
        artifactId = b.artifactId;
        version = b.version;
        overwrite = b.overwrite;
        format = b.format;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Exports a model to a directory (kept for callers of the first version of this class).
     *
     * @param model a model whose block is an initialised {@link Seq2SeqTransformer}
     * @param source the source tokenizer
     * @param target the target tokenizer (the same object when shared)
     * @param options the default decoding options written to serving.properties
     * @param out the directory, or a {@code .zip} file, to create
     * @param overwrite whether an existing output may be replaced
     * @return the output
     * @throws IOException if writing fails, or the output exists and overwrite is false
     */
    public static Path export(
            Model model,
            Seq2SeqTokenizer source,
            Seq2SeqTokenizer target,
            DecodingOptions options,
            Path out,
            boolean overwrite)
            throws IOException {
        return builder()
                .setModel(model)
                .setTokenizers(source, target)
                .optDecodingOptions(options)
                .optOverwrite(overwrite)
                .build()
                .export(out);
    }

    /**
     * Writes the artifact.
     *
     * @param out the directory to create, or a file whose name ends with {@code .zip}
     * @return {@code out}
     * @throws IOException if writing fails, or {@code out} exists and overwriting is off
     */
    public Path export(Path out) throws IOException {
        if (Files.exists(out) && !overwrite) {
            throw new IOException(out + " already exists; not overwriting it");
        }
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, out.getFileName() + ".tmp-");
        try {
            writeDirectory(tmp);
            if (isZip(out)) {
                Path zip = tmp.resolve(Seq2SeqArtifact.MODEL_NAME + ".zip");
                zip(tmp, zip);
                FileUtils.replace(zip, out);
            } else {
                FileUtils.replace(tmp.resolve(Seq2SeqArtifact.MODEL_NAME), out);
            }
            return out;
        } finally {
            FileUtils.deleteTree(tmp);
        }
    }

    private void writeDirectory(Path tmp) throws IOException {
        Path dir = tmp.resolve(Seq2SeqArtifact.MODEL_NAME);
        Files.createDirectories(dir);
        Seq2SeqTransformer block = (Seq2SeqTransformer) model.getBlock();
        if (format == Format.SAFETENSORS) {
            SafetensorsFiles.save(block, dir.resolve(Seq2SeqArtifact.SAFETENSORS));
        } else {
            saveParams(dir);
        }
        block.getConfig().save(dir.resolve(Seq2SeqArtifact.CONFIG));
        if (source == target) {
            source.save(dir.resolve(Seq2SeqArtifact.TOKENIZER));
        } else {
            source.save(dir.resolve(Seq2SeqArtifact.SOURCE_TOKENIZER));
            target.save(dir.resolve(Seq2SeqArtifact.TARGET_TOKENIZER));
        }
        Files.writeString(
                dir.resolve(Seq2SeqArtifact.SERVING_PROPERTIES),
                ArtifactMetadata.servingProperties(options),
                StandardCharsets.UTF_8);
        ArtifactMetadata.writeEmbedded(dir, artifactId, version);
    }

    /** Writes DJL's {@code .params} file, named with epoch 0. */
    private void saveParams(Path dir) throws IOException {
        String epoch = model.getProperty("Epoch");
        model.setProperty("Epoch", "0"); // the file name: seq2seq-0000.params
        try {
            model.save(dir, Seq2SeqArtifact.MODEL_NAME);
        } finally {
            if (epoch == null) {
                model.getProperties().remove("Epoch");
            } else {
                model.setProperty("Epoch", epoch);
            }
        }
    }

    private static boolean isZip(Path out) {
        return out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
    }

    /** Zips a directory's files with paths relative to it, in sorted order. */
    private static void zip(Path tmp, Path zip) throws IOException {
        Path dir = tmp.resolve(Seq2SeqArtifact.MODEL_NAME);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(zip));
                ZipOutputStream zos = new ZipOutputStream(os)) {
            for (Path f : files) {
                zos.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, zos);
                zos.closeEntry();
            }
        }
    }

    /** Builds a {@link ModelExporter}; {@code set} for required fields, {@code opt} for others. */
    public static final class Builder {

        private Model model;
        private Seq2SeqTokenizer source;
        private Seq2SeqTokenizer target;
        private DecodingOptions options = DecodingOptions.builder().build();
        private String artifactId = DEFAULT_ARTIFACT_ID;
        private String version = DEFAULT_VERSION;
        private boolean overwrite;
        private Format format = Format.PARAMS;

        private Builder() {}

        /**
         * Sets the model to export.
         *
         * @param model a model whose block is an initialised {@link Seq2SeqTransformer}
         * @return this builder
         */
        public Builder setModel(Model model) {
            this.model = model;
            return this;
        }

        /**
         * Sets one tokenizer for both sides (a shared vocabulary).
         *
         * @param tokenizer the tokenizer
         * @return this builder
         */
        public Builder setTokenizer(Seq2SeqTokenizer tokenizer) {
            return setTokenizers(tokenizer, tokenizer);
        }

        /**
         * Sets the tokenizers; pass the same object twice for a shared vocabulary.
         *
         * @param source the source tokenizer
         * @param target the target tokenizer
         * @return this builder
         */
        public Builder setTokenizers(Seq2SeqTokenizer source, Seq2SeqTokenizer target) {
            this.source = source;
            this.target = target;
            return this;
        }

        /**
         * Sets the default decoding options written to serving.properties (default: those of {@link
         * DecodingOptions}, beam search with 4 beams); Criteria arguments override them.
         *
         * @param options the options
         * @return this builder
         */
        public Builder optDecodingOptions(DecodingOptions options) {
            this.options = options;
            return this;
        }

        /**
         * Sets the artifact id under which DJL repositories and the model zoo list the model
         * (default {@value #DEFAULT_ARTIFACT_ID}).
         *
         * @param artifactId letters, digits, '.', '_' and '-', starting with a letter or digit
         * @return this builder
         */
        public Builder optArtifactId(String artifactId) {
            this.artifactId = artifactId;
            return this;
        }

        /**
         * Sets the artifact version (default {@value #DEFAULT_VERSION}).
         *
         * @param version dot-separated numbers
         * @return this builder
         */
        public Builder optVersion(String version) {
            this.version = version;
            return this;
        }

        /**
         * Sets whether an existing output may be replaced (default false).
         *
         * @param overwrite whether to replace
         * @return this builder
         */
        public Builder optOverwrite(boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        /**
         * Sets how the parameters are written (default {@link Format#PARAMS}).
         *
         * @param format the parameter format
         * @return this builder
         */
        public Builder optFormat(Format format) {
            this.format = format;
            return this;
        }

        /**
         * Checks the settings and builds the exporter.
         *
         * @return the exporter
         * @throws IllegalArgumentException if something is missing, the model is not an initialised
         *     {@link Seq2SeqTransformer}, or a tokenizer's size differs from the model's vocabulary
         *     size
         */
        public ModelExporter build() {
            if (model == null
                    || source == null
                    || target == null
                    || options == null
                    || format == null) {
                throw new IllegalArgumentException(
                        "ModelExporter needs a model, tokenizers and decoding options");
            }
            if (!(model.getBlock() instanceof Seq2SeqTransformer block) || !block.isInitialized()) {
                throw new IllegalArgumentException(
                        "the model's block must be an initialised Seq2SeqTransformer");
            }
            if (artifactId == null || !ARTIFACT_ID.matcher(artifactId).matches()) {
                throw new IllegalArgumentException("bad artifact id: " + artifactId);
            }
            if (version == null || !VERSION.matcher(version).matches()) {
                throw new IllegalArgumentException("bad version: " + version);
            }
            TransformerConfig config = block.getConfig();
            checkSize("source", source, config.sourceVocabSize());
            checkSize("target", target, config.targetVocabSize());
            return new ModelExporter(this);
        }

        private static void checkSize(String side, Seq2SeqTokenizer tokenizer, int vocabSize) {
            if (tokenizer.size() != vocabSize) {
                throw new IllegalArgumentException(
                        "the "
                                + side
                                + " tokenizer has "
                                + tokenizer.size()
                                + " tokens but the model's "
                                + side
                                + "VocabSize is "
                                + vocabSize);
            }
        }
    }
}
