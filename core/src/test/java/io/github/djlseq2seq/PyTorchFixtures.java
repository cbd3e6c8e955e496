package io.github.djlseq2seq;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.djlseq2seq.model.AttentionLayout;
import io.github.djlseq2seq.model.AttentionLayout.Projection;
import io.github.djlseq2seq.model.MultiHeadAttention;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the PyTorch reference fixtures written by {@code
 * core/src/test/python/make_reference_fixtures.py} (see its header for how to regenerate them).
 *
 * <p>An array in a fixture is either a recipe {@code {"shape", "seed", "scale", "offset"}}, whose
 * values {@code offset + scale * u} come from {@link #uniform} exactly as the script makes them, or
 * explicit values {@code {"shape", "data"}}. Either way the test holds it as float32, as the script
 * did before computing its float64 reference.
 */
public final class PyTorchFixtures {

    private static final String FOLDER = "/io/github/djlseq2seq/reference/";

    /** An attention parameter of the separate layout: prefix, projection, weight or bias. */
    private static final Pattern SEPARATE =
            Pattern.compile("(.*)\\d\\d(query|key|value|output)_(weight|bias)");

    private PyTorchFixtures() {}

    /**
     * Loads a fixture.
     *
     * @param name the file name, e.g. {@code "adam.json"}
     * @return its JSON object
     */
    public static JsonObject load(String name) {
        InputStream in = PyTorchFixtures.class.getResourceAsStream(FOLDER + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + FOLDER + name);
        }
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(reader).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SplitMix64 started at {@code mix(seed)}, as doubles in [-1, 1): the script's {@code uniform}.
     *
     * @param seed the seed
     * @param count how many values
     * @return the values
     */
    public static double[] uniform(long seed, int count) {
        double[] values = new double[count];
        long state = mix(seed);
        for (int i = 0; i < count; i++) {
            state += 0x9E3779B97F4A7C15L;
            values[i] = 2.0 * ((mix(state) >>> 11) * 0x1.0p-53) - 1.0;
        }
        return values;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Returns the shape of a fixture array.
     *
     * @param array a recipe or explicit values
     * @return its shape
     */
    public static Shape shape(JsonObject array) {
        JsonArray dims = array.getAsJsonArray("shape");
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).getAsLong();
        }
        return new Shape(shape);
    }

    /**
     * Returns the values of a fixture array, rounded to float32 as the script rounded them.
     *
     * @param array a recipe or explicit values
     * @return the values, row-major
     */
    public static float[] floats(JsonObject array) {
        double[] values = doubles(array);
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    /**
     * Returns the values of a fixture array in float64: the script's results, unrounded.
     *
     * @param array a recipe or explicit values
     * @return the values, row-major
     */
    public static double[] doubles(JsonObject array) {
        if (array.has("data")) {
            JsonArray data = array.getAsJsonArray("data");
            double[] values = new double[data.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = data.get(i).getAsDouble();
            }
            return values;
        }
        double scale = array.get("scale").getAsDouble();
        double offset = array.has("offset") ? array.get("offset").getAsDouble() : 0;
        double[] values = uniform(array.get("seed").getAsLong(), (int) shape(array).size());
        for (int i = 0; i < values.length; i++) {
            values[i] = offset + scale * values[i];
        }
        return values;
    }

    /**
     * Makes a float32 array from a fixture array.
     *
     * @param manager the manager of the result
     * @param array a recipe or explicit values
     * @return the array
     */
    public static NDArray array(NDManager manager, JsonObject array) {
        return manager.create(floats(array), shape(array));
    }

    /**
     * Reads an integer matrix, such as a batch of token ids.
     *
     * @param rows a JSON array of arrays of integers
     * @return the matrix
     */
    public static int[][] ints(JsonArray rows) {
        int[][] ints = new int[rows.size()][];
        for (int r = 0; r < ints.length; r++) {
            JsonArray row = rows.get(r).getAsJsonArray();
            ints[r] = new int[row.size()];
            for (int c = 0; c < ints[r].length; c++) {
                ints[r][c] = row.get(c).getAsInt();
            }
        }
        return ints;
    }

    /**
     * Sets every parameter of an initialised block from the fixture's recipes, keyed by DJL's
     * parameter names; fails if a parameter is missing on either side or has another shape.
     *
     * <p>The fixtures name attention parameters in the separate layout of {@link
     * MultiHeadAttention}'s version 1 ({@code 01query_weight} … {@code 04output_bias}); they are
     * stacked into today's layout with {@link AttentionLayout} first.
     *
     * @param block the initialised block
     * @param parameters parameter name → recipe
     */
    public static void setParameters(Block block, JsonObject parameters) {
        Map<String, Parameter> ours =
                block.getParameters().stream()
                        .collect(Collectors.toMap(p -> p.getKey(), p -> p.getValue(), (a, b) -> a));
        Map<String, float[]> values = new TreeMap<>();
        Map<String, Shape> shapes = new TreeMap<>();
        for (Map.Entry<String, JsonElement> e : parameters.entrySet()) {
            JsonObject recipe = e.getValue().getAsJsonObject();
            Matcher separate = SEPARATE.matcher(e.getKey());
            if (!separate.matches()) {
                values.put(e.getKey(), floats(recipe));
                shapes.put(e.getKey(), shape(recipe));
                continue;
            }
            String prefix = separate.group(1);
            String role = separate.group(2);
            boolean bias = separate.group(3).equals("bias");
            if (role.equals(AttentionLayout.OUTPUT)) {
                String name = prefix + "01" + role + "_" + separate.group(3);
                values.put(name, floats(recipe));
                shapes.put(name, shape(recipe));
                continue;
            }
            boolean cross = ours.containsKey(prefix + AttentionLayout.KEY_VALUE_WEIGHT);
            Projection projection = Projection.valueOf(role.toUpperCase(Locale.ROOT));
            String name =
                    prefix
                            + (bias
                                    ? AttentionLayout.biasName(cross, projection)
                                    : AttentionLayout.weightName(cross, projection));
            Shape stacked = ours.containsKey(name) ? ours.get(name).getArray().getShape() : null;
            float[] part = floats(recipe);
            if (stacked == null) { // let the name check below report it
                values.put(e.getKey(), part);
                shapes.put(e.getKey(), shape(recipe));
                continue;
            }
            int dim = (int) shape(recipe).get(0);
            float[] all = values.computeIfAbsent(name, k -> new float[(int) stacked.size()]);
            int offset = AttentionLayout.rowOffset(cross, projection, dim) * (part.length / dim);
            System.arraycopy(part, 0, all, offset, part.length);
            shapes.put(name, stacked);
        }
        assertEquals(
                new TreeSet<>(ours.keySet()),
                new TreeSet<>(values.keySet()),
                "the block's parameters and the fixture's");
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            NDArray array = ours.get(e.getKey()).getArray();
            assertEquals(array.getShape(), shapes.get(e.getKey()), e.getKey());
            array.set(e.getValue());
        }
    }

    /**
     * Asserts that an array equals the fixture's values element by element: {@code |actual −
     * expected| ≤ absolute + relative · |expected|} everywhere.
     *
     * @param actual our result
     * @param expected the reference {@code {"shape", "data"}}
     * @param absolute the absolute part of the tolerance
     * @param relative the relative part of the tolerance
     * @param what what is compared, for the message
     */
    public static void assertClose(
            NDArray actual, JsonObject expected, double absolute, double relative, String what) {
        assertEquals(actual.getShape(), shape(expected), what + ": shape");
        double[] ours = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        double[] theirs = doubles(expected);
        double worst = 0;
        int at = 0;
        for (int i = 0; i < ours.length; i++) {
            double excess = Math.abs(ours[i] - theirs[i]) - relative * Math.abs(theirs[i]);
            if (excess > worst || i == 0) {
                worst = excess;
                at = i;
            }
        }
        assertTrue(
                worst <= absolute,
                String.format(
                        "%s: element %d is %.9g, PyTorch %.9g (|difference| %.3g)",
                        what, at, ours[at], theirs[at], Math.abs(ours[at] - theirs[at])));
    }
}
