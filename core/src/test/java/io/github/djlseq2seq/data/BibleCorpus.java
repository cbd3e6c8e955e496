package io.github.djlseq2seq.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** The bundled Bible corpus, read from the classpath, and a BPE tokenizer trained once on it. */
public final class BibleCorpus {

    /** One English–Spanish pair. */
    record Pair(String english, String spanish) {}

    private static List<Pair> train;
    private static List<Pair> dev;
    private static BpeTokenizer bpe;

    private BibleCorpus() {}

    /** The 28,540 pairs of the train split. */
    static synchronized List<Pair> train() {
        if (train == null) {
            train = read("train.tsv.gz");
        }
        return train;
    }

    /** The 1,231 pairs of the dev split. */
    static synchronized List<Pair> dev() {
        if (dev == null) {
            dev = read("dev.tsv.gz");
        }
        return dev;
    }

    /** Both sides of every {@code step}-th train pair. */
    static List<String> trainTexts(int step) {
        List<String> texts = new ArrayList<>();
        List<Pair> pairs = train();
        for (int i = 0; i < pairs.size(); i += step) {
            texts.add(pairs.get(i).english());
            texts.add(pairs.get(i).spanish());
        }
        return texts;
    }

    /**
     * The default 8k BPE trained on both sides of every 4th train pair (7,135 pairs), shared by the
     * test classes to keep the suite fast.
     */
    static synchronized BpeTokenizer bpe() {
        if (bpe == null) {
            bpe = BpeTokenizer.train(trainTexts(4), BpeTrainingConfig.defaults());
        }
        return bpe;
    }

    /** Deletes a temporary directory and everything in it. */
    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * Returns the bundled training split as a file (the examples' resource, on the test class
     * path).
     */
    public static Path trainFile() {
        return file("train.tsv.gz");
    }

    /** Returns the bundled dev split as a file. */
    public static Path devFile() {
        return file("dev.tsv.gz");
    }

    private static Path file(String name) {
        String resource = RESOURCE_DIR + name;
        java.net.URL url = BibleCorpus.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException("not on the classpath: " + resource);
        }
        try {
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String RESOURCE_DIR = "/io/github/djlseq2seq/examples/bible-en-es/";

    private static List<Pair> read(String name) {
        String resource = RESOURCE_DIR + name;
        List<Pair> pairs = new ArrayList<>();
        try (InputStream raw = BibleCorpus.class.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("not on the classpath: " + resource);
            }
            BufferedReader reader =
                    new BufferedReader(
                            new InputStreamReader(
                                    new GZIPInputStream(raw), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                String[] fields = line.split("\t", -1);
                if (fields.length != 3) {
                    throw new IllegalStateException(resource + ": bad line " + line);
                }
                pairs.add(new Pair(fields[1], fields[2]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pairs;
    }
}
