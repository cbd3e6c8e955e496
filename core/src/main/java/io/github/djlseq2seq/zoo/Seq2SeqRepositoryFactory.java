package io.github.djlseq2seq.zoo;

import ai.djl.repository.Artifact;
import ai.djl.repository.FilenameUtils;
import ai.djl.repository.LocalRepository;
import ai.djl.repository.Metadata;
import ai.djl.repository.Repository;
import ai.djl.repository.RepositoryFactory;
import ai.djl.repository.SimpleRepository;
import ai.djl.util.Hex;
import ai.djl.util.JsonUtils;
import ai.djl.util.Progress;
import ai.djl.util.Utils;
import ai.djl.util.ZipUtils;
import com.google.gson.JsonParseException;
import io.github.djlseq2seq.util.FileUtils;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * DJL's handler for {@code file:} model locations, changed so that a local model is never served
 * from a stale copy, and so that a model's {@code serving.properties} names its translator factory
 * in time.
 *
 * <p>DJL 0.36 copies a directory that holds a nested repository {@code metadata.json} into its
 * cache ({@code ~/.djl.ai/cache/repo/…}) once and serves the copy from then on, and extracts a zip
 * into its cache under a hash of the zip's <em>path</em>: files changed or replaced after a first
 * load were silently ignored. It also picks the translator factory from the artifact's arguments
 * <em>before</em> it reads {@code serving.properties}, so a model directory or zip without a
 * repository {@code metadata.json} found no {@code String → String} translator. This factory,
 * registered through {@code META-INF/services/ai.djl.repository.RepositoryFactory}, replaces DJL's
 * built-in {@code file:} handler:
 *
 * <ul>
 *   <li>a directory whose {@code serving.properties} names a {@code translatorFactory} (an exported
 *       model) is one model, loaded <em>in place</em> (a {@link SimpleRepository}, as DJL opens a
 *       plain directory): nothing is copied, and each load reads the files as they are now;
 *   <li>a zip whose root holds such a {@code serving.properties} is extracted into DJL's cache
 *       under the SHA-1 of its <em>content</em>, checked at every load: a zip rewritten at the same
 *       path is extracted again (and the older extraction of that path removed);
 *   <li>a directory holding a nested {@code metadata.json} (a repository written by {@link
 *       ModelRepository}) is a {@link LocalRepository} whose djl-seq2seq artifacts are loaded in
 *       place from the repository's version directories;
 *   <li>for both kinds of model, the {@code translatorFactory} of {@code serving.properties}
 *       becomes an artifact argument, unless the URL's query already sets one.
 * </ul>
 *
 * <p>Everything else (other zips, other repositories' artifacts, plain directories) loads exactly
 * as with DJL alone.
 */
public final class Seq2SeqRepositoryFactory implements RepositoryFactory {

    /** The argument DJL reads to choose the translator factory. */
    static final String TRANSLATOR_FACTORY = "translatorFactory";

    /** The largest serving.properties read; anything bigger is ignored. */
    private static final long MAX_PROPERTIES_BYTES = 64 * 1024;

    /** The name of a zip's extraction directory: the zip's SHA-1. */
    private static final Pattern EXTRACTION = Pattern.compile("[0-9a-f]{40}");

    /** {@inheritDoc} */
    @Override
    public Repository newInstance(String name, URI uri) {
        Path path = Paths.get(filePath(uri));
        if (Files.isDirectory(path)) {
            String factory = translatorFactoryInDirectory(path);
            if (factory == null && holdsNestedMetadata(path)) {
                return new InPlaceLocalRepository(name, path);
            }
            return new ModelFile(name, uri, path, factory);
        }
        if (FilenameUtils.isArchiveFile(path.toString()) && Files.isRegularFile(path)) {
            String factory = translatorFactoryInZip(path);
            if (factory != null) {
                return new ModelZip(name, uri, path, factory);
            }
        }
        return new ModelFile(name, uri, path, null);
    }

    /** {@inheritDoc} */
    @Override
    public Set<String> getSupportedScheme() {
        return Set.of("file");
    }

    /** The local path of a {@code file:} URI, as DJL's own handler reads it. */
    private static String filePath(URI uri) {
        String path = uri.getPath();
        if (path == null) {
            path = uri.getSchemeSpecificPart();
        }
        if (path.startsWith("file:")) {
            path = path.substring(5);
        }
        if (path.startsWith("/") && System.getProperty("os.name").startsWith("Win")) {
            path = path.substring(1);
        }
        return path;
    }

    /** Whether a {@code metadata.json} of DJL's format lies below (not in) the directory. */
    private static boolean holdsNestedMetadata(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(f -> isRepositoryMetadata(root, f));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isRepositoryMetadata(Path root, Path file) {
        if (!Files.isRegularFile(file)
                || root.equals(file.getParent())
                || !Seq2SeqArtifact.METADATA.equals(file.getFileName().toString())) {
            return false;
        }
        try (Reader reader = Files.newBufferedReader(file)) {
            Metadata metadata = JsonUtils.GSON.fromJson(reader, Metadata.class);
            return metadata != null
                    && metadata.getMetadataVersion() != null
                    && metadata.getArtifacts() != null;
        } catch (IOException | JsonParseException e) {
            return false;
        }
    }

    /**
     * The {@code translatorFactory} named by the {@code serving.properties} of a model directory,
     * or null when it has none.
     */
    static String translatorFactoryInDirectory(Path dir) {
        Path file = dir.resolve(Seq2SeqArtifact.SERVING_PROPERTIES);
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_PROPERTIES_BYTES) {
                return null;
            }
            return translatorFactory(Files.readAllBytes(file));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The {@code translatorFactory} named by the {@code serving.properties} at a zip's root, or
     * null when the file is no readable zip or holds none.
     */
    static String translatorFactoryInZip(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            ZipEntry entry = file.getEntry(Seq2SeqArtifact.SERVING_PROPERTIES);
            if (entry == null || entry.isDirectory() || entry.getSize() > MAX_PROPERTIES_BYTES) {
                return null;
            }
            byte[] bytes;
            try (InputStream in = file.getInputStream(entry)) {
                bytes = in.readNBytes((int) MAX_PROPERTIES_BYTES + 1);
            }
            return bytes.length > MAX_PROPERTIES_BYTES ? null : translatorFactory(bytes);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String translatorFactory(byte[] servingProperties) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(new String(servingProperties, StandardCharsets.UTF_8)));
        String factory = properties.getProperty(TRANSLATOR_FACTORY);
        return factory == null || factory.isBlank() ? null : factory.trim();
    }

    /**
     * DJL's repository for one model file, directory or archive; a directory is read in place. A
     * translator factory found in the model's serving.properties is added to the arguments.
     */
    private static class ModelFile extends SimpleRepository {
        ModelFile(String name, URI uri, Path path, String factory) {
            super(name, uri, path);
            if (factory != null) {
                arguments.putIfAbsent(TRANSLATOR_FACTORY, factory);
            }
        }
    }

    /**
     * A zipped model, extracted into DJL's cache under {@code …/ZIP_NAME/SHA1/}, where SHA1 is the
     * hash of the zip's bytes: checked at each load (hashed again when the zip's size or
     * modification time changed since this repository last hashed it), so a changed zip is never
     * served from the extraction of its former content.
     */
    private static final class ModelZip extends ModelFile {

        private final Path zip;
        private Stamp hashed;
        private String sha1;

        ModelZip(String name, URI uri, Path zip, String factory) {
            super(name, uri, zip, factory);
            this.zip = zip;
        }

        /** {@inheritDoc} */
        @Override
        public Path getResourceDirectory(Artifact artifact) throws IOException {
            return super.getResourceDirectory(artifact).resolve(contentHash());
        }

        /** {@inheritDoc} */
        @Override
        protected URI resolvePath(Artifact.Item item, String path) throws IOException {
            return getResourceDirectory(item.getArtifact()).resolve(path).toUri();
        }

        /** {@inheritDoc} Extracts the zip unless its current content already is. */
        @Override
        public void prepare(Artifact artifact, Progress progress) throws IOException {
            Path target = getResourceDirectory(artifact);
            if (Files.isDirectory(target)) {
                return;
            }
            Path parent = target.getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, ".extract-");
            try {
                // hash exactly the bytes extracted, in case the zip changes meanwhile
                MessageDigest md = sha1();
                try (DigestInputStream in =
                        new DigestInputStream(
                                new BufferedInputStream(Files.newInputStream(zip)), md)) {
                    ZipUtils.unzip(in, tmp);
                    in.transferTo(OutputStream.nullOutputStream());
                }
                target = parent.resolve(Hex.toHexString(md.digest()));
                Utils.moveQuietly(tmp, target);
            } finally {
                Utils.deleteQuietly(tmp);
            }
            removeOtherExtractions(parent, target);
        }

        /** The zip's SHA-1, hashed again whenever its size or modification time changed. */
        private synchronized String contentHash() throws IOException {
            BasicFileAttributes a = Files.readAttributes(zip, BasicFileAttributes.class);
            Stamp now = new Stamp(a.size(), a.lastModifiedTime(), a.fileKey());
            if (!now.equals(hashed)) {
                sha1 = ArtifactMetadata.sha1Hex(zip);
                hashed = now;
            }
            return sha1;
        }

        /** Deletes the extractions of this zip's former contents; failures are left for later. */
        private static void removeOtherExtractions(Path parent, Path kept) {
            try (Stream<Path> entries = Files.list(parent)) {
                List<Path> stale =
                        entries.filter(p -> !p.equals(kept))
                                .filter(
                                        p ->
                                                EXTRACTION
                                                        .matcher(p.getFileName().toString())
                                                        .matches())
                                .toList();
                for (Path p : stale) {
                    FileUtils.deleteTree(p);
                }
            } catch (IOException e) {
                // another process may be reading one; the next extraction tries again
            }
        }

        private static MessageDigest sha1() {
            try {
                return MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError("SHA-1 is always available", e);
            }
        }

        /** What identifies a version of the zip cheaply. */
        private record Stamp(long size, FileTime modified, Object fileKey) {}
    }

    /**
     * DJL's repository for a directory of models, each described by a nested metadata.json; a
     * djl-seq2seq artifact whose files all lie, under their own names, in one directory of the
     * repository is loaded from there instead of from a copy in DJL's cache.
     */
    private static final class InPlaceLocalRepository extends LocalRepository {

        private final Path root;

        InPlaceLocalRepository(String name, Path path) {
            super(name, path.toUri(), path);
            root = path.toAbsolutePath().normalize();
        }

        /** {@inheritDoc} */
        @Override
        public Path getResourceDirectory(Artifact artifact) throws IOException {
            Path dir = inPlace(artifact);
            return dir != null ? dir : super.getResourceDirectory(artifact);
        }

        /** {@inheritDoc} Copies nothing for an artifact that is loaded in place. */
        @Override
        public void prepare(Artifact artifact, Progress progress) throws IOException {
            if (inPlace(artifact) == null) {
                super.prepare(artifact, progress);
            }
        }

        /** The directory holding all the artifact's files, or null if it is not loaded in place. */
        private Path inPlace(Artifact artifact) {
            Metadata metadata = artifact.getMetadata();
            if (metadata == null
                    || !Seq2SeqArtifact.GROUP_ID.equals(metadata.getGroupId())
                    || metadata.getRepositoryUri() == null
                    || artifact.getFiles() == null
                    || artifact.getFiles().isEmpty()) {
                return null;
            }
            Path base = root.resolve(metadata.getRepositoryUri().getPath());
            Path dir = null;
            for (Artifact.Item item : artifact.getFiles().values()) {
                if (item.getUri() == null
                        || !"file".equals(item.getType())
                        || !item.getExtension().isEmpty()) {
                    return null; // an archive DJL extracts, or a download
                }
                URI uri = URI.create(item.getUri());
                if (uri.isAbsolute()) {
                    return null;
                }
                Path file = base.resolve(uri.getPath()).normalize();
                Path parent = file.getParent();
                if (!file.startsWith(root)
                        || !file.getFileName().toString().equals(item.getName())
                        || dir != null && !dir.equals(parent)) {
                    return null;
                }
                dir = parent;
            }
            return dir;
        }
    }
}
