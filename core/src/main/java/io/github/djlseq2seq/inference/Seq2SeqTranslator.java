package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDList;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.github.djlseq2seq.data.PaddingBatchifier;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.util.ArrayList;
import java.util.List;

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
 *
 * <p>It is {@link Seq2SeqRequestTranslator} (per-call options, prefixes, n-best lists) for plain
 * text: each sentence is a request without a prefix, and its translation the best candidate.
 */
public class Seq2SeqTranslator implements Translator<String, String> {

    private final Seq2SeqTokenizer sourceTokenizer;
    private final Seq2SeqTokenizer targetTokenizer;
    private final Seq2SeqRequestTranslator requests;

    /**
     * Creates a translator.
     *
     * @param sourceTokenizer the source-side tokenizer
     * @param targetTokenizer the target-side tokenizer (the same object when the vocabulary is
     *     shared)
     * @param options greedy, beam search or sampling, length penalty, maximum length
     */
    public Seq2SeqTranslator(
            Seq2SeqTokenizer sourceTokenizer,
            Seq2SeqTokenizer targetTokenizer,
            DecodingOptions options) {
        this.sourceTokenizer = sourceTokenizer;
        this.targetTokenizer = targetTokenizer;
        this.requests = new Seq2SeqRequestTranslator(sourceTokenizer, targetTokenizer, options);
    }

    /**
     * Returns the decoding options.
     *
     * @return the options
     */
    public DecodingOptions getOptions() {
        return requests.getOptions();
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
        return new NDList(requests.processInput(ctx, new TranslationRequest(input)).head());
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
        List<TranslationRequest> list = new ArrayList<>(inputs.size());
        for (String input : inputs) {
            list.add(new TranslationRequest(input));
        }
        return requests.batchProcessInput(ctx, list);
    }

    /**
     * Takes each row's best candidate; an empty input line gives an empty translation.
     *
     * @param ctx the predictor's context
     * @param list the generator's outputs (see {@link Seq2SeqGenerator})
     * @return the translations, in input order
     */
    @Override
    public List<String> batchProcessOutput(TranslatorContext ctx, NDList list) {
        List<String> out = new ArrayList<>();
        for (TranslationResult result : requests.batchProcessOutput(ctx, list)) {
            out.add(result.getText());
        }
        return out;
    }
}
