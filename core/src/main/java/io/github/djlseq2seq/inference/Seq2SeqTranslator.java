package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.github.djlseq2seq.data.PaddingBatchifier;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DJL {@link Translator} from source text to target text: tokenize, wrap in START/END, decode
 * (greedy or beam search, as the {@link DecodingOptions} say), detokenize.
 *
 * <pre>
 *   try (Predictor&lt;String, String&gt; p = model.newPredictor(new Seq2SeqTranslator(tok, tok, options))) {
 *       String es = p.predict("In the beginning God created the heavens and the earth.");
 *       List&lt;String&gt; many = p.batchPredict(sentences);   // decoded as one batch
 *   }
 * </pre>
 *
 * <p>The model's block must be a {@link Seq2SeqTransformer}. A prediction goes through DJL's
 * pipeline: {@link #processInput} makes each sentence's source ids {@code [S]}, the {@link
 * PaddingBatchifier} pads them to {@code [B, S]}, the model's block decodes the whole batch in its
 * forward (the batch is routed to a {@link Seq2SeqGenerator} over the transformer, see there), and
 * {@link #processOutput} detokenizes each row of output ids. DJL's metrics therefore time the
 * decode as inference, and it runs with the predictor's parameter store. An empty input line gives
 * an empty output line.
 */
public class Seq2SeqTranslator implements Translator<String, String> {

    private static final Logger logger = LoggerFactory.getLogger(Seq2SeqTranslator.class);

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
     *     shared)
     * @param options greedy or beam search, length penalty, maximum length
     */
    public Seq2SeqTranslator(
            Seq2SeqTokenizer sourceTokenizer,
            Seq2SeqTokenizer targetTokenizer,
            DecodingOptions options) {
        this.sourceTokenizer = sourceTokenizer;
        this.targetTokenizer = targetTokenizer;
        this.options = options;
    }

    /**
     * Returns the decoding options.
     *
     * @return the options
     */
    public DecodingOptions getOptions() {
        return options;
    }

    /**
     * Returns the source-side tokenizer, e.g. to sort sentences by their token count.
     *
     * @return the tokenizer
     */
    public Seq2SeqTokenizer getSourceTokenizer() {
        return sourceTokenizer;
    }

    /**
     * Returns the batchifier that pads the sentences' source ids with PAD into {@code [B, S]}.
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
     * Tokenizes one sentence into its source ids {@code [START, x…, END]}, int32; an empty sentence
     * gives {@code [START, END]} (and, through {@link #batchProcessOutput}, an empty translation).
     *
     * @param ctx the predictor's context
     * @param input the sentence
     * @return the source ids {@code [S]}
     * @throws IllegalArgumentException if the sentence is longer than the model accepts and the
     *     options do not truncate it
     */
    @Override
    public NDList processInput(TranslatorContext ctx, String input) {
        return sourceIds(ctx, input, 1);
    }

    /**
     * Detokenizes one row of output ids.
     *
     * @param ctx the predictor's context
     * @param list the row's output ids {@code [L]}, PAD removed
     * @return the translation
     */
    @Override
    public String processOutput(TranslatorContext ctx, NDList list) {
        return targetTokenizer.decode(list.head().toIntArray());
    }

    /**
     * Tokenizes every sentence, pads them into one batch and routes it to a {@link
     * Seq2SeqGenerator} over the model's transformer.
     *
     * @param ctx the predictor's context
     * @param inputs the sentences
     * @return the source ids {@code [B, S]}, routed to the generator
     * @throws IllegalArgumentException if a sentence is longer than the model accepts and the
     *     options do not truncate it (the message names it by its 1-based position)
     */
    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<String> inputs) {
        NDList[] records = new NDList[inputs.size()];
        boolean[] blank = new boolean[inputs.size()];
        for (int i = 0; i < records.length; i++) {
            blank[i] = isBlank(inputs.get(i));
            records[i] = sourceIds(ctx, inputs.get(i), i + 1);
        }
        ctx.setAttachment(BLANK, blank);
        Seq2SeqGenerator generator =
                Seq2SeqGenerator.builder().setModel(transformer(ctx)).optOptions(options).build();
        return generator.route(batchifier.batchify(records)); // [B, S]
    }

    /**
     * Splits the generator's output ids into rows and detokenizes each; an empty input line gives
     * an empty translation.
     *
     * @param ctx the predictor's context
     * @param list the output ids {@code [B, L]} and scores {@code [B]}
     * @return the translations, in input order
     */
    @Override
    public List<String> batchProcessOutput(TranslatorContext ctx, NDList list) {
        NDList[] rows = batchifier.unbatchify(new NDList(list.head())); // [L] each, PAD removed
        boolean[] blank = (boolean[]) ctx.getAttachment(BLANK);
        List<String> out = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            out.add(blank != null && blank[i] ? "" : processOutput(ctx, rows[i]));
        }
        return out;
    }

    /** One sentence's source ids {@code [START, x…, END]}, int32; position is 1-based. */
    private NDList sourceIds(TranslatorContext ctx, String text, int position) {
        int maxLength = transformer(ctx).getConfig().maxLength();
        int[] ids = isBlank(text) ? new int[0] : sourceTokenizer.encode(text);
        if (ids.length + 2 > maxLength && options.isTruncateSource()) {
            logger.warn(
                    "Input {} has {} tokens with START and END; truncated to the model's {}",
                    position,
                    ids.length + 2,
                    maxLength);
            ids = Arrays.copyOf(ids, maxLength - 2);
        }
        if (ids.length + 2 > maxLength) {
            throw new IllegalArgumentException(
                    "Input "
                            + position
                            + " has "
                            + (ids.length + 2)
                            + " tokens with START and END; the model accepts at most "
                            + maxLength
                            + " (DecodingOptions.optTruncateSource cuts it to fit)");
        }
        int[] row = new int[ids.length + 2];
        row[0] = SpecialTokens.START_ID;
        System.arraycopy(ids, 0, row, 1, ids.length);
        row[row.length - 1] = SpecialTokens.END_ID;
        return new NDList(ctx.getNDManager().create(row)); // [S]
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private static Seq2SeqTransformer transformer(TranslatorContext ctx) {
        Block block = ctx.getBlock();
        if (!(block instanceof Seq2SeqTransformer transformer)) {
            throw new IllegalArgumentException(
                    "Seq2SeqTranslator needs a model whose block is a Seq2SeqTransformer, got "
                            + (block == null ? "no block" : block.getClass().getName()));
        }
        return transformer;
    }
}
