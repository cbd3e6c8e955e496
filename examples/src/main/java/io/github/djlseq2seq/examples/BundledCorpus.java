package io.github.djlseq2seq.examples;

import io.github.djlseq2seq.data.ParallelTsvReader;
import io.github.djlseq2seq.data.TextPair;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The English→Spanish Bible corpus bundled with the library (see NOTICE for its provenance).
 *
 * <p>{@code train}: 28,540 verse pairs; {@code dev}: 1,231. Each line is {@code
 * reference<TAB>english<TAB>spanish}, gzip-compressed. The files work from the source tree and from
 * inside a jar: {@link #train()} and {@link #dev()} give a real file, copied once to the temporary
 * directory (under a name made of the content's hash, kept for the next process) when the resource
 * lives in a jar.
 */
public final class BundledCorpus {

    /** Class-path resource of the training split. */
    public static final String TRAIN_RESOURCE =
            "/io/github/djlseq2seq/examples/bible-en-es/train.tsv.gz";

    /** Class-path resource of the development (validation) split. */
    public static final String DEV_RESOURCE =
            "/io/github/djlseq2seq/examples/bible-en-es/dev.tsv.gz";

    private static final Map<String, Path> FILES = new ConcurrentHashMap<>();

    private BundledCorpus() {}

    /**
     * Returns the training split as a file.
     *
     * @return a {@code .tsv.gz} file
     */
    public static Path train() {
        return file(TRAIN_RESOURCE);
    }

    /**
     * Returns the development split as a file.
     *
     * @return a {@code .tsv.gz} file
     */
    public static Path dev() {
        return file(DEV_RESOURCE);
    }

    /**
     * Opens the training split's compressed bytes.
     *
     * @return a new stream, to be closed by the caller
     */
    public static InputStream openTrain() {
        return open(TRAIN_RESOURCE);
    }

    /**
     * Opens the development split's compressed bytes.
     *
     * @return a new stream, to be closed by the caller
     */
    public static InputStream openDev() {
        return open(DEV_RESOURCE);
    }

    /**
     * Reads the training split.
     *
     * @return its 28,540 pairs, with references
     * @throws IOException if the resource cannot be read
     */
    public static List<TextPair> readTrain() throws IOException {
        try (InputStream in = openTrain()) {
            return ParallelTsvReader.read(in, "bible-en-es/train.tsv.gz");
        }
    }

    /**
     * Reads the development split.
     *
     * @return its 1,231 pairs, with references
     * @throws IOException if the resource cannot be read
     */
    public static List<TextPair> readDev() throws IOException {
        try (InputStream in = openDev()) {
            return ParallelTsvReader.read(in, "bible-en-es/dev.tsv.gz");
        }
    }

    private static InputStream open(String resource) {
        InputStream in = BundledCorpus.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(
                    "bundled corpus missing from the class path: " + resource);
        }
        return in;
    }

    private static Path file(String resource) {
        return FILES.computeIfAbsent(
                resource,
                r -> {
                    URL url = BundledCorpus.class.getResource(r);
                    if (url == null) {
                        throw new IllegalStateException(
                                "bundled corpus missing from the class path: " + r);
                    }
                    try {
                        return toFile(url);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /**
     * Returns a file holding a resource's bytes: the resource itself when it is a file, else a copy
     * in the temporary directory named by the bytes' SHA-256, so that every process gets the same
     * path (a run directory records its training file, and a resumed run finds it again there).
     */
    static Path toFile(URL url) throws IOException {
        if ("file".equals(url.getProtocol())) {
            try {
                return Paths.get(url.toURI());
            } catch (URISyntaxException e) {
                throw new IOException("bad resource URL " + url, e);
            }
        }
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = in.readAllBytes();
        }
        String path = url.getPath();
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        Path copy =
                Path.of(
                        System.getProperty("java.io.tmpdir"),
                        "djl-seq2seq-" + sha256(bytes).substring(0, 16) + "-" + fileName);
        if (Files.isRegularFile(copy) && Files.size(copy) == bytes.length) {
            return copy;
        }
        Path tmp = Files.createTempFile(copy.getParent(), "djl-seq2seq-", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(
                    tmp, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return copy;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
