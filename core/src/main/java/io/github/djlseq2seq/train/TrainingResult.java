package io.github.djlseq2seq.train;

import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.eval.BleuScore;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.model.TransformerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link Seq2SeqTraining} run produced: where the model is, which checkpoint it is, and how
 * it scores on the dev set.
 *
 * <p>A run stopped by {@link Seq2SeqTraining#requestStop} is {@link #interrupted}: nothing was
 * exported or translated ({@code modelDir} is null, {@code exportedStep} -1, {@code devLoss} NaN,
 * no BLEU or hypotheses), and {@code checkpoint} holds every completed step.
 *
 * @param outputDir the run's directory: {@code tokenizer.json}, {@code config.json}, {@code
 *     checkpoints/}, {@code metrics.jsonl}, {@code model/}
 * @param modelDir the exported model, a DJL model directory ({@code Criteria.optModelPath})
 * @param tokenizer the shared source and target tokenizer
 * @param config the model configuration
 * @param decoding the exported model's default decoding options
 * @param finalStep the optimizer steps taken, over all resumed runs
 * @param exportedStep the step of the exported checkpoint: the best by dev BLEU, or the latest when
 *     there is no dev file
 * @param devLoss the dev cross-entropy per target token of the exported checkpoint, NaN when
 *     unknown
 * @param devBleu the exported model's corpus BLEU on the dev file, with its decoding options; empty
 *     without a dev file
 * @param devHypotheses the exported model's translations of the dev sources, in file order; empty
 *     without a dev file
 * @param devTranslateSeconds the seconds those translations took, 0 without a dev file
 * @param checkpoint the latest checkpoint, the one a resumed run continues from; null if no step
 *     was taken
 * @param interrupted whether the run was stopped early by {@link Seq2SeqTraining#requestStop}
 */
public record TrainingResult(
        Path outputDir,
        Path modelDir,
        Seq2SeqTokenizer tokenizer,
        TransformerConfig config,
        DecodingOptions decoding,
        int finalStep,
        int exportedStep,
        double devLoss,
        Optional<BleuScore> devBleu,
        List<String> devHypotheses,
        double devTranslateSeconds,
        Path checkpoint,
        boolean interrupted) {

    /**
     * Returns the dev perplexity of the exported checkpoint.
     *
     * @return {@code exp(devLoss)}, NaN when unknown
     */
    public double devPerplexity() {
        return Math.exp(devLoss);
    }
}
