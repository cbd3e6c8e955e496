package io.github.djlseq2seq.inference;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One JSON translation request, in the shape of Hugging Face's inference API, checked and turned
 * into sentences and {@link DecodingOptions}.
 *
 * <pre>
 *   {"inputs": "text"}                                   one sentence
 *   {"inputs": ["text", …], "parameters": {"beam_size": 1}}   up to maxInputs sentences
 * </pre>
 *
 * <p>Parameters, each optional, override the model's own settings (its {@code serving.properties}):
 *
 * <table>
 *   <caption>request parameters</caption>
 *   <tr><th>parameter</th><th>JSON type</th><th>{@link DecodingOptions}</th></tr>
 *   <tr><td>{@code beam_size}</td><td>integer ≥ 1</td><td>beam size (1: greedy)</td></tr>
 *   <tr><td>{@code length_penalty}</td><td>number ≥ 0</td><td>GNMT α</td></tr>
 *   <tr><td>{@code max_length}</td><td>integer ≥ 0</td><td>the most output tokens, whatever the
 *       source length: ratio 0, offset {@code max_length} (the model's own limit still holds)</td></tr>
 *   <tr><td>{@code max_length_ratio}</td><td>number ≥ 0</td><td>a of {@code a · n + b}</td></tr>
 *   <tr><td>{@code max_length_offset}</td><td>integer ≥ 0</td><td>b of {@code a · n + b}</td></tr>
 *   <tr><td>{@code no_repeat_ngram_size}</td><td>integer ≥ 0</td><td>n-gram blocking</td></tr>
 *   <tr><td>{@code truncate_source}</td><td>boolean</td><td>cut over-long sources</td></tr>
 * </table>
 *
 * <p>Anything else is a bad request ({@link Invalid}, status 400, naming the field): an empty body,
 * text that is not JSON, a body that is not an object, an unknown top-level key or parameter, a
 * missing {@code inputs}, {@code inputs} neither a string nor an array of strings, an empty array,
 * a value of the wrong type or range, {@code max_length} together with {@code max_length_ratio} or
 * {@code max_length_offset}. More than {@code maxInputs} sentences is refused with status 413. An
 * empty or blank string is a valid sentence and translates to the empty string.
 */
public final class ServingRequest {

    /** The request's key holding the sentences. */
    public static final String INPUTS = "inputs";

    /** The request's key holding the decoding parameters. */
    public static final String PARAMETERS = "parameters";

    /** The parameter names a request may use. */
    public static final Set<String> PARAMETER_NAMES =
            Set.of(
                    "beam_size",
                    "length_penalty",
                    "max_length",
                    "max_length_ratio",
                    "max_length_offset",
                    "no_repeat_ngram_size",
                    "truncate_source");

    private final List<String> inputs;
    private final Map<String, Object> arguments;

    private ServingRequest(List<String> inputs, Map<String, Object> arguments) {
        this.inputs = inputs;
        this.arguments = arguments;
    }

    /**
     * Parses and checks a request body.
     *
     * @param body the body, UTF-8 JSON (null for none)
     * @param maxInputs the most sentences a request may hold
     * @return the request
     * @throws Invalid if the request is bad; the message names what is wrong
     */
    public static ServingRequest parse(byte[] body, int maxInputs) throws Invalid {
        JsonObject request = object(text(body));
        for (String key : request.keySet()) {
            if (!key.equals(INPUTS) && !key.equals(PARAMETERS)) {
                throw new Invalid(
                        400, "unknown key \"" + key + "\"; a request holds inputs and parameters");
            }
        }
        List<String> inputs = inputs(request.get(INPUTS), maxInputs);
        JsonElement parameters = request.get(PARAMETERS);
        if (parameters == null || parameters.isJsonNull()) {
            return new ServingRequest(inputs, Map.of());
        }
        if (!parameters.isJsonObject()) {
            throw new Invalid(400, "\"parameters\" must be an object, got " + kind(parameters));
        }
        return new ServingRequest(inputs, arguments(parameters.getAsJsonObject()));
    }

    /**
     * Returns the sentences, in request order.
     *
     * @return the sentences
     */
    public List<String> getInputs() {
        return inputs;
    }

    /**
     * Returns the request's parameters as the Criteria arguments of the same meaning ({@code
     * beam_size} as {@code beamSize}, …; {@code max_length} as {@code maxLengthRatio} 0 and {@code
     * maxLengthOffset}), with values of the right type, to lay over the model's own arguments.
     *
     * @return the arguments, sorted by name (equal for requests with equal parameters)
     */
    public Map<String, Object> getArguments() {
        return arguments;
    }

    private static String text(byte[] body) throws Invalid {
        if (body == null || body.length == 0) {
            throw new Invalid(400, "empty request body; send {\"inputs\": \"text\"}");
        }
        String text;
        try {
            text =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(body))
                            .toString();
        } catch (CharacterCodingException e) {
            throw new Invalid(400, "the request body is not UTF-8");
        }
        if (text.isBlank()) {
            throw new Invalid(400, "empty request body; send {\"inputs\": \"text\"}");
        }
        return text;
    }

    private static JsonObject object(String text) throws Invalid {
        JsonElement json;
        try {
            json = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new Invalid(400, "invalid JSON: " + e.getMessage());
        }
        if (!json.isJsonObject()) {
            throw new Invalid(
                    400, "the request must be a JSON object {\"inputs\": …}, got " + kind(json));
        }
        return json.getAsJsonObject();
    }

    private static List<String> inputs(JsonElement json, int maxInputs) throws Invalid {
        if (json == null || json.isJsonNull()) {
            throw new Invalid(400, "missing \"inputs\": a string or an array of strings");
        }
        if (json.isJsonPrimitive() && json.getAsJsonPrimitive().isString()) {
            return List.of(json.getAsString());
        }
        if (!json.isJsonArray()) {
            throw new Invalid(
                    400, "\"inputs\" must be a string or an array of strings, got " + kind(json));
        }
        JsonArray array = json.getAsJsonArray();
        if (array.isEmpty()) {
            throw new Invalid(400, "\"inputs\" is an empty array");
        }
        if (array.size() > maxInputs) {
            throw new Invalid(
                    413,
                    "\"inputs\" holds "
                            + array.size()
                            + " sentences; a request may hold at most "
                            + maxInputs);
        }
        List<String> inputs = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            JsonElement item = array.get(i);
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw new Invalid(400, "inputs[" + i + "] must be a string, got " + kind(item));
            }
            inputs.add(item.getAsString());
        }
        return inputs;
    }

    private static Map<String, Object> arguments(JsonObject given) throws Invalid {
        for (String name : given.keySet()) {
            if (!PARAMETER_NAMES.contains(name)) {
                throw new Invalid(
                        400,
                        "unknown parameter \""
                                + name
                                + "\"; known: "
                                + new TreeSet<>(PARAMETER_NAMES));
            }
        }
        if (given.has("max_length")
                && (given.has("max_length_ratio") || given.has("max_length_offset"))) {
            throw new Invalid(
                    400,
                    "parameters.max_length cannot be combined with max_length_ratio or"
                            + " max_length_offset");
        }
        Map<String, Object> arguments = new TreeMap<>();
        if (given.has("beam_size")) {
            arguments.put("beamSize", integer(given, "beam_size", 1));
        }
        if (given.has("length_penalty")) {
            arguments.put("lengthPenalty", number(given, "length_penalty"));
        }
        if (given.has("max_length")) {
            arguments.put("maxLengthRatio", 0f);
            arguments.put("maxLengthOffset", integer(given, "max_length", 0));
        }
        if (given.has("max_length_ratio")) {
            arguments.put("maxLengthRatio", number(given, "max_length_ratio"));
        }
        if (given.has("max_length_offset")) {
            arguments.put("maxLengthOffset", integer(given, "max_length_offset", 0));
        }
        if (given.has("no_repeat_ngram_size")) {
            arguments.put("noRepeatNgramSize", integer(given, "no_repeat_ngram_size", 0));
        }
        if (given.has("truncate_source")) {
            JsonElement value = given.get("truncate_source");
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
                throw new Invalid(
                        400, "parameters.truncate_source must be a boolean, got " + kind(value));
            }
            arguments.put("truncateSource", value.getAsBoolean());
        }
        return arguments;
    }

    /** An integer parameter of at least {@code min}. */
    private static int integer(JsonObject given, String name, int min) throws Invalid {
        JsonElement value = given.get(name);
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            BigDecimal number = value.getAsBigDecimal();
            if (number.stripTrailingZeros().scale() <= 0
                    && number.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0
                    && number.compareTo(BigDecimal.valueOf(min)) >= 0) {
                return number.intValueExact();
            }
        }
        throw new Invalid(
                400,
                "parameters." + name + " must be an integer ≥ " + min + ", got " + kind(value));
    }

    /** A finite number parameter of at least 0. */
    private static float number(JsonObject given, String name) throws Invalid {
        JsonElement value = given.get(name);
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            float number = value.getAsFloat();
            if (number >= 0 && Float.isFinite(number)) {
                return number;
            }
        }
        throw new Invalid(
                400, "parameters." + name + " must be a finite number ≥ 0, got " + kind(value));
    }

    /** Describes a JSON value for an error message: its kind and a short excerpt. */
    private static String kind(JsonElement json) {
        String kind;
        if (json.isJsonNull()) {
            return "null";
        } else if (json.isJsonObject()) {
            kind = "an object";
        } else if (json.isJsonArray()) {
            kind = "an array";
        } else {
            JsonPrimitive p = json.getAsJsonPrimitive();
            kind = p.isString() ? "a string" : p.isBoolean() ? "a boolean" : "a number";
        }
        String text = json.toString();
        return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }

    /** A bad request: its HTTP-style status and a message naming what is wrong. */
    public static final class Invalid extends Exception {

        private static final long serialVersionUID = 1L;

        /** The HTTP-style status, 4xx. */
        private final int code;

        /**
         * Creates the error.
         *
         * @param code the HTTP-style status, 4xx
         * @param message what is wrong
         */
        public Invalid(int code, String message) {
            super(message);
            this.code = code;
        }

        /**
         * Returns the HTTP-style status.
         *
         * @return 400 for a malformed request, 413 for too many inputs
         */
        public int getCode() {
            return code;
        }
    }
}
