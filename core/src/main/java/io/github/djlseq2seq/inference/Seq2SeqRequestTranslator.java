package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.github.djlseq2seq.data.PaddingBatchifier;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DJL {@link Translator} from {@link TranslationRequest} to {@link TranslationResult}: the
 * translation of {@link Seq2SeqTranslator} with per-call decoding options, a forced target prefix
 * and the n-best list with scores.
 *
 * <pre>
 *   try (Predictor&lt;TranslationRequest, TranslationResult&gt; p =
 *           model.newPredictor(new Seq2SeqRequestTranslator(tok, tok, options))) {
 *       DecodingOptions fourBest = DecodingOptions.builder().optNBest(4).build();
 *       for (Candidate c : p.predict(new TranslationRequest(text, null, fourBest)).getCandidates()) {
 *           System.out.println(c.normalizedScore() + "\t" + c.text());
 *       }
 *   }
 * </pre>
 *
 * <p>The pipeline is {@link Seq2SeqTranslator}'s: each request's source ids {@code [S]} (and, when
 * a request of the batch has a prefix, its prefix ids {@code [P]}) are padded by the {@link
 * PaddingBatchifier} and routed to a {@link Seq2SeqGenerator}, which gives each row its request's
 * options (or the translator's), so requests with different options may share one {@code
 * batchPredict}: rows of equal options decode together.
 */
public class Seq2SeqRequestTranslator implements Translator<TranslationRequest, TranslationResult> {

    private static final Logger logger = LoggerFactory.getLogger(Seq2SeqRequestTranslator.class);

    private static final String BLANK = "djl-seq2seq.blank";

    private final Seq2SeqTokenizer sourceTokenizer;
    private final Seq2SeqTokenizer targetTokenizer;
    private final DecodingOptions options;
    private final PaddingBatchifier batchifier = new PaddingBatchifier();

    /**
     * Creates a translator.
     *
     * @param sourceTokenizer the source-side tokenizer
     * @param targetTokenizer the target-side tokenizer (the same object when the vocabulary is
     *     shared); it also tokenizes the prefixes
     * @param options the options of requests that bring none
     */
    public Seq2SeqRequestTranslator(
            Seq2SeqTokenizer sourceTokenizer,
            Seq2SeqTokenizer targetTokenizer,
            DecodingOptions options) {
        this.sourceTokenizer = sourceTokenizer;
        this.targetTokenizer = targetTokenizer;
        this.options = options;
    }

    /**
     * Returns the options of requests that bring none.
     *
     * @return the options
     */
    public DecodingOptions getOptions() {
        return options;
    }

    /**
     * Returns the batchifier that pads the requests' ids with PAD into {@code [B, S]} (and {@code
     * [B, P]}).
     *
     * @return a {@link PaddingBatchifier}
     */
    @Override
    public Batchifier getBatchifier() {
        return batchifier;
    }

    /**
     * Checks that the model's block is a {@link Seq2SeqTransformer}.
     *
     * @param ctx the predictor's context
     * @throws IllegalArgumentException naming the block's class if it is not
     */
    @Override
    public void prepare(TranslatorContext ctx) {
        transformer(ctx);
    }

    /**
     * Tokenizes one request into its source ids {@code [START, x…, END]} (no START when the model's
     * {@link TransformerConfig#sourceStart} is false) and its prefix ids, int32.
     *
     * @param ctx the predictor's context
     * @param input the request
     * @return the source ids {@code [S]} and the prefix ids {@code [P]} (empty without a prefix)
     * @throws IllegalArgumentException if the sentence or the prefix is longer than the model
     *     accepts (a long sentence is cut instead when the options say so)
     */
    @Override
    public NDList processInput(TranslatorContext ctx, TranslationRequest input) {
        NDList record = new NDList(sourceIds(ctx, input, 1));
        record.add(ctx.getNDManager().create(prefixIds(ctx, input, 1)));
        return record;
    }

    /**
     * Turns one row of the generator's output into a result.
     *
     * @param ctx the predictor's context
     * @param list the row's n-best ids {@code [K, L']}, scores {@code [K]} and normalized scores
     *     {@code [K]}
     * @return the result
     */
    @Override
    public TranslationResult processOutput(TranslatorContext ctx, NDList list) {
        int k = (int) list.get(0).getShape().get(0);
        int width = (int) list.get(0).getShape().get(1);
        return result(
                list.get(0).toIntArray(),
                list.get(1).toFloatArray(),
                list.get(2).toFloatArray(),
                0,
                k,
                width);
    }

    /**
     * Tokenizes every request, pads them into one batch and routes it to a {@link Seq2SeqGenerator}
     * over the model's transformer, with each request's options.
     *
     * @param ctx the predictor's context
     * @param inputs the requests
     * @return the source ids {@code [B, S]} (and prefix ids {@code [B, P]}), routed to the
     *     generator
     * @throws IllegalArgumentException if a sentence or a prefix is longer than the model accepts
     *     (the message names the request by its 1-based position)
     */
    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<TranslationRequest> inputs) {
        NDList[] records = new NDList[inputs.size()];
        boolean[] blank = new boolean[inputs.size()];
        List<DecodingOptions> rowOptions = new ArrayList<>();
        boolean prefixed = inputs.stream().anyMatch(r -> !isBlank(r.getPrefix()));
        for (int i = 0; i < records.length; i++) {
            TranslationRequest request = inputs.get(i);
            blank[i] = isBlank(request.getText());
            records[i] = new NDList(sourceIds(ctx, request, i + 1));
            if (prefixed) {
                records[i].add(ctx.getNDManager().create(prefixIds(ctx, request, i + 1)));
            }
            rowOptions.add(request.getOptions());
        }
        ctx.setAttachment(BLANK, blank);
        Seq2SeqGenerator generator =
                Seq2SeqGenerator.builder()
                        .setModel(transformer(ctx))
                        .optOptions(options)
                        .optRowOptions(rowOptions)
                        .build();
        return generator.route(batchifier.batchify(records)); // [B, S] (and [B, P])
    }

    /**
     * Reads each row's n-best list from the generator's output; a blank input gives a result
     * without candidates.
     *
     * @param ctx the predictor's context
     * @param list the generator's outputs (see {@link Seq2SeqGenerator})
     * @return the results, in input order
     */
    @Override
    public List<TranslationResult> batchProcessOutput(TranslatorContext ctx, NDList list) {
        int rows = (int) list.get(2).getShape().get(0);
        int k = (int) list.get(2).getShape().get(1);
        int width = (int) list.get(2).getShape().get(2);
        int[] ids = list.get(2).toIntArray(); // [B, K, L']
        float[] scores = list.get(3).toFloatArray(); // [B, K]
        float[] normalized = list.get(4).toFloatArray(); // [B, K]
        boolean[] blank = (boolean[]) ctx.getAttachment(BLANK);
        List<TranslationResult> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            out.add(
                    blank != null && blank[r]
                            ? new TranslationResult(List.of())
                            : result(ids, scores, normalized, r, k, width));
        }
        return out;
    }

    /** The candidates of row r: those with a finite score, PAD stripped, detokenized. */
    private TranslationResult result(
            int[] ids, float[] scores, float[] normalized, int r, int k, int width) {
        List<TranslationResult.Candidate> candidates = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            if (scores[r * k + j] == Float.NEGATIVE_INFINITY) {
                continue; // fewer than K hypotheses
            }
            int from = (r * k + j) * width;
            int length = 0;
            while (length < width && ids[from + length] != SpecialTokens.PAD_ID) {
                length++;
            }
            int[] tokens = Arrays.copyOfRange(ids, from, from + length);
            candidates.add(
                    new TranslationResult.Candidate(
                            targetTokenizer.decode(tokens),
                            tokens,
                            scores[r * k + j],
                            normalized[r * k + j]));
        }
        return new TranslationResult(candidates);
    }

    /**
     * One request's source ids {@code [START, x…, END]} (or {@code [x…, END]} when the model's
     * {@link TransformerConfig#sourceStart} is false, as Marian's), int32; position is 1-based.
     */
    private NDArray sourceIds(TranslatorContext ctx, TranslationRequest request, int position) {
        String text = request.getText();
        DecodingOptions own = request.getOptions() == null ? options : request.getOptions();
        TransformerConfig config = transformer(ctx).getConfig();
        int maxLength = config.maxLength();
        int specials = config.sourceSpecialTokens(); // [START,] x…, END
        String added = config.sourceStart() ? "START and END" : "END";
        int[] ids = isBlank(text) ? new int[0] : sourceTokenizer.encode(text);
        if (ids.length + specials > maxLength && own.isTruncateSource()) {
            logger.warn(
                    "Input {} has {} tokens with {}; truncated to the model's {}",
                    position,
                    ids.length + specials,
                    added,
                    maxLength);
            ids = Arrays.copyOf(ids, maxLength - specials);
        }
        if (ids.length + specials > maxLength) {
            throw new IllegalArgumentException(
                    "Input "
                            + position
                            + " has "
                            + (ids.length + specials)
                            + " tokens with "
                            + added
                            + "; the model accepts at most "
                            + maxLength
                            + " (DecodingOptions.optTruncateSource cuts it to fit)");
        }
        int[] row = new int[ids.length + specials];
        row[0] = SpecialTokens.START_ID; // overwritten by the first token without START
        System.arraycopy(ids, 0, row, specials - 1, ids.length);
        row[row.length - 1] = SpecialTokens.END_ID;
        return ctx.getNDManager().create(row); // [S]
    }

    /** One request's target prefix ids (no START), int32; position is 1-based. */
    private int[] prefixIds(TranslatorContext ctx, TranslationRequest request, int position) {
        String prefix = request.getPrefix();
        int[] ids = isBlank(prefix) ? new int[0] : targetTokenizer.encode(prefix);
        int maxLength = transformer(ctx).getConfig().maxLength();
        if (ids.length > maxLength - 1) {
            throw new IllegalArgumentException(
                    "The target prefix of input "
                            + position
                            + " has "
                            + ids.length
                            + " tokens; the model's maxLength "
                            + maxLength
                            + " allows at most "
                            + (maxLength - 1));
        }
        return ids;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    /**
     * The model's transformer.
     *
     * @param ctx the predictor's context
     * @return its block
     * @throws IllegalArgumentException naming the block's class if it is not a transformer
     */
    static Seq2SeqTransformer transformer(TranslatorContext ctx) {
        Block block = ctx.getBlock();
        if (!(block instanceof Seq2SeqTransformer transformer)) {
            throw new IllegalArgumentException(
                    "Seq2SeqTranslator needs a model whose block is a Seq2SeqTransformer, got "
                            + (block == null ? "no block" : block.getClass().getName()));
        }
        return transformer;
    }
}
