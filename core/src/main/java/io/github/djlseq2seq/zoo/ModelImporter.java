package io.github.djlseq2seq.zoo;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.util.FileUtils;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Copies an exported model (a directory or a {@code .zip}) into a directory of its own and checks
 * it before anything loads it: the safe way to take in a model from elsewhere.
 *
 * <pre>
 *   Path dir = ModelImporter.builder().build().importModel(Path.of("downloaded.zip"), Path.of("model"));
 *   // then Criteria...optModelPath(dir)
 * </pre>
 *
 * <p>Nothing is written outside the target directory, which must not exist or be empty, and which
 * is removed again (or emptied) when the import fails. A zip is read from its central directory and
 * every entry is checked before the first byte is written: no absolute paths, {@code ..},
 * backslashes or duplicates (zip-slip), no more than {@code maxEntries} entries, and declared sizes
 * within {@code maxBytes}. While extracting, actual sizes are counted, since headers can lie: an
 * entry may not grow beyond its declared size, the total beyond {@code maxBytes}, nor an entry past
 * 1 MiB expand more than {@code maxRatio} times its compressed size (zip bombs). Only the files of
 * an exported model are accepted (DJL would load classes and jars found in a model directory).
 *
 * <p>Then {@link #verify} checks the copy: the SHA-1 of each file against the model's {@code
 * metadata.json}, the factories named in {@code serving.properties}, the configuration, that the
 * parameters load and have the configuration's shapes, and that the tokenizers' sizes match the
 * vocabularies. DJL's own extraction of a zip given to {@code Criteria} rejects zip-slip entries
 * but has no size limit; for a zip you did not make, import it first.
 */
public final class ModelImporter {

    /** Default limit on the total uncompressed size: 16 GiB. */
    public static final long DEFAULT_MAX_BYTES = 16L << 30;

    /** Default limit on the number of zip entries. */
    public static final int DEFAULT_MAX_ENTRIES = 64;

    /** Default limit on an entry's expansion ratio (parameters barely compress; zeros do 1000×). */
    public static final int DEFAULT_MAX_RATIO = 100;

    private static final String GROUP_PATH =
            "model/"
                    + Seq2SeqArtifact.APPLICATION
                    + "/"
                    + Seq2SeqArtifact.GROUP_ID.replace('.', '/');
    private static final Pattern ARTIFACT_DIRECTORY =
            Pattern.compile(Pattern.quote(GROUP_PATH) + "/[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final String ALLOWED =
            "an exported model holds only the parameters, config.json, tokenizer files,"
                    + " serving.properties and its metadata.json";

    private final long maxBytes;
    private final int maxEntries;
    private final int maxRatio;

    private ModelImporter(Builder b) {
        maxBytes = b.maxBytes;
        maxEntries = b.maxEntries;
        maxRatio = b.maxRatio;
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
     * Imports and verifies an exported model.
     *
     * @param source an exported model directory, or a {@code .zip} of one
     * @param target the directory to fill; created if missing (its parent must exist), or empty
     * @return {@code target}
     * @throws IOException if the source cannot be read, is an unsafe archive or holds unexpected
     *     files, or the target is not empty; the message names the entry or file
     * @throws MalformedModelException if the model fails {@link #verify}
     */
    public Path importModel(Path source, Path target) throws IOException, MalformedModelException {
        boolean created = prepareTarget(target);
        try {
            if (Files.isDirectory(source)) {
                copyDirectory(source, target);
            } else {
                new SafeZip(
                                maxBytes,
                                maxEntries,
                                maxRatio,
                                ModelImporter::allowed,
                                ModelImporter::allowedDirectory,
                                ALLOWED)
                        .extract(source, target);
            }
            verify(target);
            return target;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            clean(target, created);
            throw e;
        }
    }

    /**
     * Checks an exported model directory without changing it: the files listed in its {@code
     * metadata.json} exist and have the recorded SHA-1, {@code serving.properties} names this
     * library's factories, {@code config.json} is valid, the parameters load with the shapes the
     * configuration gives, and the tokenizers match the vocabulary sizes.
     *
     * @param dir the directory
     * @throws IOException if a file is missing or unreadable (the message names it)
     * @throws MalformedModelException if a file is corrupted or the files do not fit together
     */
    public static void verify(Path dir) throws IOException, MalformedModelException {
        ArtifactMetadata.Embedded metadata = ArtifactMetadata.readEmbedded(dir);
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.sha1().entrySet()) {
                if (!ArtifactMetadata.MODEL_FILES.contains(e.getKey())) {
                    throw new MalformedModelException(
                            metadata.file() + " lists an unexpected file " + e.getKey());
                }
                Path file = dir.resolve(e.getKey());
                if (!Files.isRegularFile(file)) {
                    throw new FileNotFoundException(
                            "Missing file " + file + " (listed in " + metadata.file() + ")");
                }
                String actual = ArtifactMetadata.sha1Hex(file);
                if (!actual.equalsIgnoreCase(e.getValue())) {
                    throw new MalformedModelException(
                            file
                                    + ": SHA-1 "
                                    + actual
                                    + " differs from "
                                    + e.getValue()
                                    + " recorded in "
                                    + metadata.file()
                                    + ": the file is corrupted or was changed after export");
                }
            }
        }
        checkFactories(dir.resolve(Seq2SeqArtifact.SERVING_PROPERTIES));
        try {
            TransformerConfig config = Seq2SeqBlockFactory.config(dir);
            try (Model model =
                    Model.newInstance(Seq2SeqArtifact.MODEL_NAME, Device.cpu(), "PyTorch")) {
                Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
                Seq2SeqBlockFactory.loadParameters(block, model.getNDManager(), dir);
            }
            Seq2SeqTranslatorFactory.tokenizers(dir, config);
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        } catch (IllegalArgumentException e) {
            throw new MalformedModelException(e.getMessage(), e);
        }
    }

    private static void checkFactories(Path file) throws IOException, MalformedModelException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        expect(file, p, "blockFactory", Seq2SeqBlockFactory.class.getName());
        expect(file, p, "translatorFactory", Seq2SeqTranslatorFactory.class.getName());
    }

    private static void expect(Path file, Properties p, String key, String value)
            throws MalformedModelException {
        if (!value.equals(p.getProperty(key))) {
            throw new MalformedModelException(
                    file + ": " + key + " is " + p.getProperty(key) + "; expected " + value);
        }
    }

    /** Creates the target, or checks that it is empty; returns whether it was created. */
    private static boolean prepareTarget(Path target) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(target)) {
                if (s.findAny().isPresent()) {
                    throw new IOException(target + " is not empty; import into a new directory");
                }
            }
            return false;
        }
        Files.createDirectory(target);
        return true;
    }

    private static void clean(Path target, boolean created) throws IOException {
        if (created) {
            FileUtils.deleteTree(target);
            return;
        }
        try (Stream<Path> s = Files.list(target)) {
            for (Path p : s.toList()) {
                FileUtils.deleteTree(p);
            }
        }
    }

    private static boolean allowed(String relative) {
        int slash = relative.lastIndexOf('/');
        return ArtifactMetadata.MODEL_FILES.contains(relative)
                || slash > 0
                        && relative.endsWith("/" + Seq2SeqArtifact.METADATA)
                        && ARTIFACT_DIRECTORY.matcher(relative.substring(0, slash)).matches();
    }

    /** The directories on the way to the metadata file: model, model/nlp, ... */
    private static boolean allowedDirectory(String relative) {
        return (GROUP_PATH + "/").startsWith(relative + "/")
                || ARTIFACT_DIRECTORY.matcher(relative).matches();
    }

    private static void copyDirectory(Path source, Path target) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(p -> !p.equals(source)).sorted().toList();
        }
        for (Path p : files) {
            String relative = source.relativize(p).toString().replace('\\', '/');
            Path dest = target.resolve(relative);
            if (Files.isSymbolicLink(p)) {
                throw new IOException(p + ": symbolic links are not accepted in a model");
            } else if (Files.isDirectory(p) && allowedDirectory(relative)) {
                Files.createDirectories(dest);
            } else if (allowed(relative)) {
                Files.createDirectories(dest.getParent());
                Files.copy(p, dest);
            } else {
                throw new IOException(p + ": unexpected file; " + ALLOWED);
            }
        }
    }

    /** Builds a {@link ModelImporter}; every limit has a default. */
    public static final class Builder {

        private long maxBytes = DEFAULT_MAX_BYTES;
        private int maxEntries = DEFAULT_MAX_ENTRIES;
        private int maxRatio = DEFAULT_MAX_RATIO;

        private Builder() {}

        /**
         * Sets the most bytes a zip may expand to, declared or actual (default 16 GiB).
         *
         * @param maxBytes the limit
         * @return this builder
         */
        public Builder optMaxBytes(long maxBytes) {
            this.maxBytes = maxBytes;
            return this;
        }

        /**
         * Sets the most entries a zip may have (default {@value #DEFAULT_MAX_ENTRIES}).
         *
         * @param maxEntries the limit
         * @return this builder
         */
        public Builder optMaxEntries(int maxEntries) {
            this.maxEntries = maxEntries;
            return this;
        }

        /**
         * Sets how many times its compressed size an entry past 1 MiB may expand (default {@value
         * #DEFAULT_MAX_RATIO}).
         *
         * @param maxRatio the limit
         * @return this builder
         */
        public Builder optMaxRatio(int maxRatio) {
            this.maxRatio = maxRatio;
            return this;
        }

        /**
         * Builds the importer.
         *
         * @return the importer
         * @throws IllegalArgumentException if a limit is not positive
         */
        public ModelImporter build() {
            if (maxBytes <= 0 || maxEntries <= 0 || maxRatio <= 0) {
                throw new IllegalArgumentException("import limits must be positive");
            }
            return new ModelImporter(this);
        }
    }
}
