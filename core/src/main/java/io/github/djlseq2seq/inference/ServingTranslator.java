package io.github.djlseq2seq.inference;

import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.ndarray.BytesSupplier;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A DJL {@link Translator} from a JSON request ({@link Input}) to a JSON response ({@link Output}),
 * the contract of DJL Serving and of Hugging Face's translation pipeline:
 *
 * <pre>
 *   request   {"inputs": "text" | ["text", …], "parameters": {"beam_size": 4, …}}
 *   response  200  [{"translation_text": "…"}, …]        one object per input, in order
 *   error     4xx  {"error": "what is wrong", "code": 400}
 * </pre>
 *
 * <p>{@link ServingRequest} lists the parameters and the bad requests (400; 413 for more than
 * {@code maxInputs} sentences). The error status is also the {@link Output#getCode()}, which DJL
 * Serving returns as the HTTP status. An empty or blank string translates to the empty string,
 * without decoding; a sentence longer than the model accepts is a bad request unless the options
 * truncate it. Each translation is the one {@link Seq2SeqTranslator} gives with the same options.
 *
 * <p>A batch of requests ({@code batchPredict}, as DJL Serving batches them) is decoded as one
 * batch of sentences, each row with its request's options ({@link Seq2SeqRequestTranslator}); a bad
 * request fails alone, with its error.
 */
public class ServingTranslator implements Translator<Input, Output> {

    private static final String BATCH = "djl-seq2seq.serving-batch";

    private final Seq2SeqTokenizer sourceTokenizer;
    private final Map<String, ?> modelArguments;
    private final Function<Map<String, ?>, DecodingOptions> options;
    private final int maxInputs;
    private final Seq2SeqRequestTranslator requests;

    /**
     * Creates a translator.
     *
     * @param sourceTokenizer the source-side tokenizer
     * @param targetTokenizer the target-side tokenizer (the same object when shared)
     * @param modelArguments the model's Criteria arguments ({@code beamSize}, …), which requests
     *     override
     * @param options makes decoding options from arguments, e.g. {@code
     *     Seq2SeqTranslatorFactory::options}
     * @param maxInputs the most sentences one request may hold
     * @throws IllegalArgumentException if the model's arguments are bad or maxInputs is below 1
     */
    public ServingTranslator(
            Seq2SeqTokenizer sourceTokenizer,
            Seq2SeqTokenizer targetTokenizer,
            Map<String, ?> modelArguments,
            Function<Map<String, ?>, DecodingOptions> options,
            int maxInputs) {
        if (maxInputs < 1) {
            throw new IllegalArgumentException("maxInputs must be at least 1, got " + maxInputs);
        }
        this.sourceTokenizer = sourceTokenizer;
        this.modelArguments = Map.copyOf(modelArguments);
        this.options = options;
        this.maxInputs = maxInputs;
        requests =
                new Seq2SeqRequestTranslator(
                        sourceTokenizer, targetTokenizer, options.apply(modelArguments));
    }

    /**
     * Returns the decoding options of a request without parameters.
     *
     * @return the model's options
     */
    public DecodingOptions getOptions() {
        return requests.getOptions();
    }

    /**
     * Returns the most sentences one request may hold.
     *
     * @return the limit
     */
    public int getMaxInputs() {
        return maxInputs;
    }

    /**
     * Returns the batchifier of the sentences' source ids (requests are batched by {@link
     * #batchProcessInput}).
     *
     * @return a padding batchifier
     */
    @Override
    public Batchifier getBatchifier() {
        return requests.getBatchifier();
    }

    /**
     * Checks that the model's block is a {@link Seq2SeqTransformer}.
     *
     * @param ctx the predictor's context
     * @throws IllegalArgumentException naming the block's class if it is not
     */
    @Override
    public void prepare(TranslatorContext ctx) {
        requests.prepare(ctx);
    }

    /**
     * Parses one request; {@link #batchProcessInput} does the work.
     *
     * @param ctx the predictor's context
     * @param input the request
     * @return the routed decode, or an empty list when there is nothing to decode
     */
    @Override
    public NDList processInput(TranslatorContext ctx, Input input) {
        return batchProcessInput(ctx, List.of(input));
    }

    /**
     * Answers one request; {@link #batchProcessOutput} does the work.
     *
     * @param ctx the predictor's context
     * @param list the decode's outputs
     * @return the response
     */
    @Override
    public Output processOutput(TranslatorContext ctx, NDList list) {
        return batchProcessOutput(ctx, list).get(0);
    }

    /**
     * Parses every request and routes the good ones' non-blank sentences, each with its request's
     * options, to one decode.
     *
     * @param ctx the predictor's context
     * @param inputs the requests
     * @return the routed decode, or an empty list when there is nothing to decode
     */
    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<Input> inputs) {
        Batch batch = new Batch(inputs.size());
        List<TranslationRequest> rows = new ArrayList<>();
        for (int r = 0; r < inputs.size(); r++) {
            try {
                ServingRequest request = ServingRequest.parse(body(inputs.get(r)), maxInputs);
                DecodingOptions own = options(request.getArguments());
                batch.sentences.set(r, checked(request.getInputs(), own, ctx));
                for (String sentence : request.getInputs()) {
                    if (!sentence.isBlank()) {
                        rows.add(new TranslationRequest(sentence, null, own));
                    }
                }
            } catch (ServingRequest.Invalid e) {
                batch.errors.set(r, e);
            }
        }
        ctx.setAttachment(BATCH, batch);
        return rows.isEmpty() ? new NDList() : requests.batchProcessInput(ctx, rows);
    }

    /**
     * Answers every request: its translations, or its error.
     *
     * @param ctx the predictor's context
     * @param list the decode's outputs
     * @return one response per request, in order
     */
    @Override
    public List<Output> batchProcessOutput(TranslatorContext ctx, NDList list) {
        Batch batch = (Batch) ctx.getAttachment(BATCH);
        Deque<String> decoded = new ArrayDeque<>();
        if (!list.isEmpty()) {
            for (TranslationResult result : requests.batchProcessOutput(ctx, list)) {
                decoded.add(result.getText());
            }
        }
        List<Output> out = new ArrayList<>(batch.errors.size());
        for (int r = 0; r < batch.errors.size(); r++) {
            ServingRequest.Invalid error = batch.errors.get(r);
            if (error != null) {
                out.add(error(error.getCode(), error.getMessage()));
                continue;
            }
            JsonArray response = new JsonArray();
            for (String sentence : batch.sentences.get(r)) {
                JsonObject item = new JsonObject();
                item.addProperty("translation_text", sentence.isBlank() ? "" : decoded.poll());
                response.add(item);
            }
            out.add(json(200, "OK", response.toString()));
        }
        return out;
    }

    /** The model's options overridden by a request's arguments. */
    private DecodingOptions options(Map<String, Object> requestArguments)
            throws ServingRequest.Invalid {
        if (requestArguments.isEmpty()) {
            return requests.getOptions();
        }
        Map<String, Object> merged = new LinkedHashMap<>(modelArguments);
        merged.putAll(requestArguments);
        try {
            return options.apply(merged);
        } catch (IllegalArgumentException e) {
            throw new ServingRequest.Invalid(400, "bad parameters: " + e.getMessage());
        }
    }

    /** Refuses a request with a sentence longer than the model accepts and will not truncate. */
    private List<String> checked(List<String> sentences, DecodingOptions own, TranslatorContext ctx)
            throws ServingRequest.Invalid {
        if (own.isTruncateSource()) {
            return sentences;
        }
        TransformerConfig config = ((Seq2SeqTransformer) ctx.getBlock()).getConfig();
        int maxLength = config.maxLength();
        int specials = config.sourceSpecialTokens(); // [START,] x…, END
        for (int i = 0; i < sentences.size(); i++) {
            String sentence = sentences.get(i);
            int tokens = sentence.isBlank() ? 0 : sourceTokenizer.encode(sentence).length;
            if (tokens + specials > maxLength) {
                throw new ServingRequest.Invalid(
                        400,
                        "inputs["
                                + i
                                + "] has "
                                + (tokens + specials)
                                + (specials == 2
                                        ? " tokens with START and END"
                                        : " tokens with END")
                                + "; the model accepts at most "
                                + maxLength
                                + " (parameters.truncate_source cuts it to fit)");
            }
        }
        return sentences;
    }

    /** The request body: DJL Serving's "data" item, else the first. */
    private static byte[] body(Input input) {
        BytesSupplier data = input.getData();
        return data == null ? null : data.getAsBytes();
    }

    /**
     * Makes an error response: status, message and the JSON {@code {"error": …, "code": …}}.
     *
     * @param code the HTTP-style status
     * @param message what is wrong
     * @return the response
     */
    public static Output error(int code, String message) {
        JsonObject error = new JsonObject();
        error.addProperty("error", message);
        error.addProperty("code", code);
        return json(code, message, error.toString());
    }

    private static Output json(int code, String message, String body) {
        Output output = new Output(code, message);
        output.addProperty("Content-Type", "application/json");
        output.add(body);
        return output;
    }

    /** The requests of one batch, as parsed. */
    private static final class Batch {
        final List<ServingRequest.Invalid> errors;
        final List<List<String>> sentences;

        Batch(int size) {
            errors = new ArrayList<>(Collections.nCopies(size, null));
            sentences = new ArrayList<>(Collections.nCopies(size, null));
        }
    }
}
