package io.github.djlseq2seq.inference;

/**
 * One sentence to translate, with what steers its decoding: a target prefix the translation must
 * start with, and decoding options for this request alone (n-best size, sampling, beam size…).
 *
 * <pre>
 *   Criteria.builder().setTypes(TranslationRequest.class, TranslationResult.class)…
 *   TranslationResult r = predictor.predict(new TranslationRequest("In the beginning", "En el",
 *           DecodingOptions.builder().optNBest(4).build()));
 * </pre>
 */
public final class TranslationRequest {

    private final String text;
    private final String prefix;
    private final DecodingOptions options;

    /**
     * Creates a request decoded with the translator's options and no prefix.
     *
     * @param text the source sentence
     */
    public TranslationRequest(String text) {
        this(text, null, null);
    }

    /**
     * Creates a request.
     *
     * @param text the source sentence
     * @param prefix the target text the translation must start with (tokenized with the target
     *     tokenizer on its own), or null for none
     * @param options the decoding options of this request, or null for the translator's
     */
    public TranslationRequest(String text, String prefix, DecodingOptions options) {
        this.text = text;
        this.prefix = prefix;
        this.options = options;
    }

    /**
     * Returns the source sentence.
     *
     * @return the text
     */
    public String getText() {
        return text;
    }

    /**
     * Returns the target prefix the translation must start with.
     *
     * @return the prefix, or null for none
     */
    public String getPrefix() {
        return prefix;
    }

    /**
     * Returns this request's decoding options.
     *
     * @return the options, or null for the translator's
     */
    public DecodingOptions getOptions() {
        return options;
    }
}
