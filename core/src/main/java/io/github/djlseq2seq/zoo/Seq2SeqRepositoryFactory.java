package io.github.djlseq2seq.zoo;

import ai.djl.repository.FilenameUtils;
import ai.djl.repository.LocalRepository;
import ai.djl.repository.Metadata;
import ai.djl.repository.Repository;
import ai.djl.repository.RepositoryFactory;
import ai.djl.repository.SimpleRepository;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * DJL's handler for {@code file:} model locations, with one addition: a zipped model's {@code
 * serving.properties} is read before DJL chooses the translator factory.
 *
 * <p>DJL 0.36 picks the translator factory from the artifact's arguments <em>before</em> it
 * extracts a zip, and a local zip's only arguments are its URL query; {@code serving.properties} is
 * read after extraction, too late. So {@code Criteria.builder().setTypes(String.class,
 * String.class).optModelPath(Path.of("model.zip"))} found no {@code String → String} translator.
 * This factory, registered through {@code META-INF/services/ai.djl.repository.RepositoryFactory},
 * replaces DJL's built-in {@code file:} handler with the same behaviour (a directory holding a
 * nested {@code metadata.json} is a {@link LocalRepository}, anything else a {@link
 * SimpleRepository}) and, for a zip whose root holds a {@code serving.properties}, adds its {@code
 * translatorFactory} to the arguments unless the URL query already sets one. Zips without that file
 * and every other location load exactly as with DJL alone.
 */
public final class Seq2SeqRepositoryFactory implements RepositoryFactory {

    /** The largest serving.properties read from a zip; anything bigger is ignored. */
    private static final long MAX_PROPERTIES_BYTES = 64 * 1024;

    /** The argument DJL reads to choose the translator factory. */
    static final String TRANSLATOR_FACTORY = "translatorFactory";

    /** {@inheritDoc} */
    @Override
    public Repository newInstance(String name, URI uri) {
        Path path = Paths.get(filePath(uri));
        if (Files.isDirectory(path) && holdsNestedMetadata(path)) {
            return new DirectoryRepository(name, path);
        }
        return new FileRepository(name, uri, path);
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
                || !"metadata.json".equals(file.getFileName().toString())) {
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
            if (bytes.length > MAX_PROPERTIES_BYTES) {
                return null;
            }
            Properties properties = new Properties();
            properties.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
            String factory = properties.getProperty(TRANSLATOR_FACTORY);
            return factory == null || factory.isBlank() ? null : factory.trim();
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** DJL's repository for a directory of models, each described by a nested metadata.json. */
    private static final class DirectoryRepository extends LocalRepository {
        DirectoryRepository(String name, Path path) {
            super(name, path.toUri(), path);
        }
    }

    /** DJL's repository for one model file, directory or archive. */
    private static final class FileRepository extends SimpleRepository {
        FileRepository(String name, URI uri, Path path) {
            super(name, uri, path);
            if (FilenameUtils.isArchiveFile(path.toString())
                    && Files.isRegularFile(path)
                    && !arguments.containsKey(TRANSLATOR_FACTORY)) {
                String factory = translatorFactoryInZip(path);
                if (factory != null) {
                    arguments.put(TRANSLATOR_FACTORY, factory);
                }
            }
        }
    }
}
