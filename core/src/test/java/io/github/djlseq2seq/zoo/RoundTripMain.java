package io.github.djlseq2seq.zoo;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;

/**
 * Loads exported models with DJL's {@code Criteria} alone, in a JVM of its own (started by {@link
 * RoundTripTest} with only the library and DJL on the class path), and prints what they give.
 *
 * <pre>
 *   RoundTripMain LOCATION... -- INPUT...
 * </pre>
 *
 * <p>A location is a directory, a {@code .zip} or a {@code file:} URL. For each it prints {@code
 * translations LOCATION B64...}, the Base64 (UTF-8) of each input's translation, and {@code logits
 * LOCATION FLOAT...}, the logits of {@link #SOURCE_IDS} and {@link #DECODER_IDS} from the block run
 * through an {@code NDList} predictor.
 */
public final class RoundTripMain {

    /** Source ids whose logits are printed. */
    public static final int[][] SOURCE_IDS = {{2, 40, 41, 42, 43, 3}, {2, 50, 51, 3, 0, 0}};

    /** Decoder-input ids whose logits are printed. */
    public static final int[][] DECODER_IDS = {{2, 60, 61}, {2, 70, 0}};

    private RoundTripMain() {}

    /**
     * Runs the round trip.
     *
     * @param args locations, then {@code --}, then the inputs
     * @throws Exception if a model cannot be loaded or run
     */
    public static void main(String[] args) throws Exception {
        int split = Arrays.asList(args).indexOf("--");
        List<String> locations = Arrays.asList(args).subList(0, split);
        List<String> inputs = Arrays.asList(args).subList(split + 1, args.length);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        for (String location : locations) {
            Criteria<String, String> text =
                    where(Criteria.builder().setTypes(String.class, String.class), location)
                            .build();
            try (ZooModel<String, String> model = text.loadModel();
                    Predictor<String, String> p = model.newPredictor()) {
                StringJoiner line = new StringJoiner(" ", "translations " + location + " ", "");
                for (String translation : p.batchPredict(inputs)) {
                    line.add(
                            Base64.getEncoder()
                                    .encodeToString(translation.getBytes(StandardCharsets.UTF_8)));
                }
                out.println(line);
            }
            Criteria<NDList, NDList> raw =
                    where(Criteria.builder().setTypes(NDList.class, NDList.class), location)
                            .build();
            try (ZooModel<NDList, NDList> model = raw.loadModel();
                    Predictor<NDList, NDList> p = model.newPredictor();
                    NDManager manager = NDManager.newBaseManager()) {
                NDList ids = new NDList(manager.create(SOURCE_IDS), manager.create(DECODER_IDS));
                List<String> values = new ArrayList<>();
                for (float v : p.predict(ids).head().toFloatArray()) {
                    values.add(Float.toString(v));
                }
                out.println("logits " + location + " " + String.join(" ", values));
            }
        }
    }

    /** The location part of the Criteria: what a DJL user writes for each kind. */
    private static <I, O> Criteria.Builder<I, O> where(Criteria.Builder<I, O> b, String location) {
        b.optEngine("PyTorch");
        if (location.startsWith("file:")) {
            return b.optModelUrls(location);
        }
        b.optModelPath(Path.of(location));
        return b;
    }
}
