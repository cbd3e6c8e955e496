package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.util.ArrayList;
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
 * <p>Decoding feeds the model its own predictions step by step, which DJL's {@code Predictor},
 * built for one forward pass, cannot express. So the whole decode runs in {@link
 * #batchProcessInput}, against the model's block with the predictor's parameters; it hands the
 * predictor an empty {@code NDList} (which DJL passes through without a forward call) and the
 * results to {@link #batchProcessOutput} through the context. An empty input line gives an empty
 * output line.
 */
public class Seq2SeqTranslator implements Translator<String, String> {

    private static final Logger logger = LoggerFactory.getLogger(Seq2SeqTranslator.class);

    private static final String RESULTS = "djl-seq2seq.results";

    private final Seq2SeqTokenizer sourceTokenizer;
    private final Seq2SeqTokenizer targetTokenizer;
    private final DecodingOptions options;

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

    /** {@inheritDoc} */
    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK; // non-null: DJL then calls the batch methods below
    }

    /** {@inheritDoc} */
    @Override
    public NDList processInput(TranslatorContext ctx, String input) {
        return batchProcessInput(ctx, List.of(input));
    }

    /** {@inheritDoc} */
    @Override
    public String processOutput(TranslatorContext ctx, NDList list) {
        return batchProcessOutput(ctx, list).get(0);
    }

    /** {@inheritDoc} */
    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<String> inputs) {
        Seq2SeqTransformer model = (Seq2SeqTransformer) ctx.getBlock();
        int maxLength = model.getConfig().maxLength();
        List<int[]> rows = new ArrayList<>();
        List<Integer> nonEmpty = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String text = inputs.get(i);
            if (text == null || text.isBlank()) {
                continue;
            }
            int[] ids = sourceTokenizer.encode(text);
            if (ids.length + 2 > maxLength && options.isTruncateSource()) {
                logger.warn(
                        "Input {} has {} tokens with START and END; truncated to the model's {}",
                        i + 1,
                        ids.length + 2,
                        maxLength);
                ids = java.util.Arrays.copyOf(ids, maxLength - 2);
            }
            if (ids.length + 2 > maxLength) {
                throw new IllegalArgumentException(
                        "Input "
                                + (i + 1)
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
            rows.add(row);
            nonEmpty.add(i);
        }
        String[] results = new String[inputs.size()];
        java.util.Arrays.fill(results, "");
        if (!rows.isEmpty()) {
            int width = rows.stream().mapToInt(r -> r.length).max().orElse(0);
            int[][] padded = new int[rows.size()][width]; // PAD = 0
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, padded[r], 0, rows.get(r).length);
            }
            NDArray sourceIds = ctx.getNDManager().create(padded); // [B, S]
            ParameterStore ps = new ParameterStore(ctx.getNDManager(), false);
            List<Hypothesis> out = SequenceDecoder.of(model, options).decode(ps, sourceIds);
            for (int r = 0; r < out.size(); r++) {
                results[nonEmpty.get(r)] = targetTokenizer.decode(out.get(r).getTokens());
            }
        }
        ctx.setAttachment(RESULTS, results);
        return new NDList();
    }

    /** {@inheritDoc} */
    @Override
    public List<String> batchProcessOutput(TranslatorContext ctx, NDList list) {
        return List.of((String[]) ctx.getAttachment(RESULTS));
    }
}
