package io.github.djlseq2seq.inference;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.github.djlseq2seq.eval.Bleu;
import io.github.djlseq2seq.eval.BleuScore;
import io.github.djlseq2seq.eval.ChrF;
import io.github.djlseq2seq.eval.ChrFScore;
import java.util.List;

/**
 * Translates a corpus with a DJL {@link Predictor} in batches of similar-length sentences (which
 * wastes little padding) and scores it against references with corpus BLEU and chrF.
 */
public final class CorpusTranslation {

    private final List<String> hypotheses;
    private final double seconds;

    private CorpusTranslation(List<String> hypotheses, double seconds) {
        this.hypotheses = hypotheses;
        this.seconds = seconds;
    }

    /**
     * Translates every source sentence, keeping the input order in the result.
     *
     * @param predictor a String → String predictor, e.g. over a {@code Seq2SeqTranslator}
     * @param sources the source sentences
     * @param batchSize the sentences per predictor call
     * @return the translations and the time they took
     * @throws TranslateException if a batch fails
     */
    public static CorpusTranslation translate(
            Predictor<String, String> predictor, List<String> sources, int batchSize)
            throws TranslateException {
        long start = System.nanoTime();
        String[] out =
                new LengthBatches(batchSize, Long.MAX_VALUE)
                        .translate(predictor, sources, String::length, n -> {});
        return new CorpusTranslation(List.of(out), (System.nanoTime() - start) / 1e9);
    }

    /**
     * Returns the translations, in input order.
     *
     * @return the hypotheses
     */
    public List<String> getHypotheses() {
        return hypotheses;
    }

    /**
     * Returns the wall-clock time of the translation.
     *
     * @return seconds
     */
    public double getSeconds() {
        return seconds;
    }

    /**
     * Scores the translations with sacreBLEU-default corpus BLEU.
     *
     * @param references one reference per hypothesis
     * @return the score
     */
    public BleuScore bleu(List<String> references) {
        return Bleu.builder().build().corpusScore(hypotheses, List.of(references));
    }

    /**
     * Scores the translations with sacreBLEU-default chrF.
     *
     * @param references one reference per hypothesis
     * @return the score
     */
    public ChrFScore chrF(List<String> references) {
        return ChrF.builder().build().corpusScore(hypotheses, List.of(references));
    }
}
