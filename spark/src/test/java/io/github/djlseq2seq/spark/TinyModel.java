package io.github.djlseq2seq.spark;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlseq2seq.zoo.Seq2SeqArtifact;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A tiny model trained for one step, its inputs, and its single-JVM translations. */
final class TinyModel {

    /** What the tiny tokenizer learns from; sentences of many lengths. */
    private static final List<String> TEXTS =
            List.of(
                    "In the beginning God created the heaven and the earth.",
                    "En el principio crió Dios los cielos y la tierra.",
                    "And the earth was without form, and void; and darkness was upon the face of"
                            + " the deep.",
                    "Y la tierra estaba desordenada y vacía, y las tinieblas estaban sobre la faz"
                            + " del abismo.",
                    "And God said, Let there be light: and there was light.",
                    "Y dijo Dios: Sea la luz: y fué la luz.");

    private TinyModel() {}

    /**
     * Trains a tiny model for one step with the {@code train} command (as a user would) and
     * shortens its decoding to at most n + 2 tokens for n source tokens (an untrained model goes on
     * to the limit: a short one keeps the tests quick).
     *
     * @param dir a new directory for the run
     * @return the exported model's directory
     */
    static Path export(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder pairs = new StringBuilder();
        for (int i = 0; i < TEXTS.size(); i += 2) {
            pairs.append(TEXTS.get(i)).append('\t').append(TEXTS.get(i + 1)).append('\n');
        }
        Path train = Files.writeString(dir.resolve("train.tsv"), pairs);
        Path dev =
                Files.writeString(
                        dir.resolve("dev.tsv"), TEXTS.get(0) + "\t" + TEXTS.get(1) + "\n");
        Path run = dir.resolve("run");
        int status =
                SparkCli.run(
                        "train",
                        "--train",
                        train.toString(),
                        "--dev",
                        dev.toString(),
                        "--out",
                        run.toString(),
                        "--max-steps",
                        "1",
                        "--samples",
                        "0",
                        "--d-model",
                        "16",
                        "--heads",
                        "2",
                        "--ff",
                        "32",
                        "--layers",
                        "1",
                        "--vocab-size",
                        "300",
                        "--max-length",
                        "96",
                        "--beam",
                        "1");
        if (status != 0) {
            throw new IllegalStateException("train failed with status " + status);
        }
        Path model = run.resolve("model");
        Path serving = model.resolve(Seq2SeqArtifact.SERVING_PROPERTIES);
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(serving)) {
            properties.load(in);
        }
        properties.setProperty("maxLengthRatio", "1");
        properties.setProperty("maxLengthOffset", "2");
        try (Writer out = Files.newBufferedWriter(serving)) {
            properties.store(out, "a tiny test model");
        }
        return model;
    }

    /**
     * Lines of many lengths, empty ones among them: words of the tokenizer's texts, cut and mixed.
     *
     * @param count how many lines
     * @return the lines
     */
    static List<String> lines(int count) {
        String[] words = String.join(" ", TEXTS).split(" ");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 7 == 3) {
                lines.add("");
                continue;
            }
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < 1 + (i * 5) % 13; w++) {
                line.append(w == 0 ? "" : " ").append(words[(i * 3 + w * 7) % words.length]);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * Translates in this JVM, through Criteria and one predictor, all lines in one batch.
     *
     * @param dir the exported model
     * @param arguments the Criteria arguments
     * @param lines the lines
     * @return their translations
     */
    static List<String> translate(Path dir, Map<String, Object> arguments, List<String> lines)
            throws Exception {
        Criteria.Builder<String, String> criteria =
                Criteria.builder().setTypes(String.class, String.class).optModelPath(dir);
        arguments.forEach(criteria::optArgument);
        try (ZooModel<String, String> model = criteria.build().loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            return predictor.batchPredict(lines);
        }
    }
}
