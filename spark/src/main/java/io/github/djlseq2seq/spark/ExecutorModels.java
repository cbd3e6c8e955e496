package io.github.djlseq2seq.spark;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models of this JVM (an executor, or the driver in local mode), each loaded once through DJL's
 * {@code Criteria} and shared by every task that runs here; they stay loaded for the life of the
 * JVM.
 *
 * <p>A model is identified by its location and its Criteria arguments (the decoding options are
 * part of its translator), so two translations with different options load it twice.
 */
final class ExecutorModels {

    private static final Map<Key, ZooModel<String, String>> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorModels() {}

    /**
     * Returns the model at a location with these Criteria arguments, loading it on first use.
     *
     * @param location a local path (directory or zip) or a URL DJL can read
     * @param arguments the Criteria arguments, e.g. {@code beamSize}
     * @return the shared model; never close it
     * @throws IllegalArgumentException if a local path does not exist
     * @throws IllegalStateException if the model cannot be loaded (the message names the location)
     */
    static ZooModel<String, String> get(String location, Map<String, String> arguments) {
        return MODELS.computeIfAbsent(
                new Key(location, new TreeMap<>(arguments)), ExecutorModels::load);
    }

    /**
     * Returns how many models this JVM has loaded so far.
     *
     * @return the number of loads
     */
    static int loads() {
        return LOADS.get();
    }

    private static ZooModel<String, String> load(Key key) {
        Criteria.Builder<String, String> criteria =
                Criteria.builder()
                        .setTypes(String.class, String.class)
                        .optEngine("PyTorch")
                        .optTranslatorFactory(new DeferredTranslatorFactory());
        Path path = localPath(key.location());
        if (path == null) {
            criteria.optModelUrls(key.location());
        } else if (Files.exists(path)) {
            criteria.optModelPath(path);
        } else {
            throw new IllegalArgumentException("model " + key.location() + " does not exist");
        }
        key.arguments().forEach(criteria::optArgument);
        try {
            ZooModel<String, String> model = criteria.build().loadModel();
            LOADS.incrementAndGet();
            return model;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Cannot load model " + key.location() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a location as a local path: a string without a URL scheme, or a {@code file:} URL.
     *
     * @param location the model location
     * @return the path, or null for another URL (http, s3, hdfs, jar, ...)
     */
    static Path localPath(String location) {
        if (location.startsWith("file:")) {
            return Paths.get(URI.create(location));
        }
        // a scheme is two or more letters before "://" (one letter is a Windows drive)
        return location.matches("[A-Za-z][A-Za-z0-9+.-]+:.*") ? null : Paths.get(location);
    }

    /** A model location with its Criteria arguments. */
    private record Key(String location, TreeMap<String, String> arguments) {
        Key {
            Objects.requireNonNull(location, "location");
        }
    }
}
