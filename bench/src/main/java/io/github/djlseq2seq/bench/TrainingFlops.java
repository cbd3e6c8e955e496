package io.github.djlseq2seq.bench;

import io.github.djlseq2seq.model.TransformerConfig;

/**
 * The floating-point operations of one training step, counted from the configuration: matrix
 * products only (a multiply-add is 2 FLOPs), every score of the attention matrices included (the
 * causal half that the mask removes is still computed), and softmax, LayerNorm, dropout, the loss
 * and the optimizer left out (they are O(activations) or O(parameters), not O(tokens × params)).
 *
 * <pre>
 *   per source token and encoder layer:   8 D²  (Q, K, V, O)  + 4 D F (FFN) + 4 S D (QKᵀ, AV)
 *   per target token and decoder layer:   8 D²  (self Q, K, V, O) + 4 T D (self QKᵀ, AV)
 *                                       + 4 D²  (cross Q, O)      + 4 S D (cross QKᵀ, AV)
 *                                       + 4 D F (FFN)
 *   per source token and decoder layer:   4 D²  (cross K, V of the encoder output)
 *   per target token:                     2 D Vt (output projection)
 *
 *   forward  = B S Ne (8D² + 4DF + 4SD) + B T Nd (12D² + 4TD + 4SD + 4DF) + B S Nd 4D² + B T 2DVt
 *   training = 3 × forward   (backward = 2 × forward: the gradients of inputs and of weights)
 * </pre>
 *
 * <p>Apart from the attention scores this is the familiar 6 × (matrix parameters) × tokens: each
 * matrix counted with the tokens it is applied to. Embedding look-ups cost no FLOPs.
 */
public final class TrainingFlops {

    private TrainingFlops() {}

    /**
     * Counts the FLOPs of one forward pass over a batch.
     *
     * @param config the model
     * @param batch the sentences B
     * @param sourceLength the source positions S per sentence (padding included)
     * @param targetLength the decoder positions T per sentence (padding included)
     * @return the forward FLOPs
     */
    public static double forward(
            TransformerConfig config, int batch, int sourceLength, int targetLength) {
        double d = config.modelDim();
        double f = config.feedForwardDim();
        double s = sourceLength;
        double t = targetLength;
        double sourceTokens = (double) batch * s;
        double targetTokens = (double) batch * t;
        double encoderLayer = 8 * d * d + 4 * d * f + 4 * s * d;
        double decoderLayer = 12 * d * d + 4 * t * d + 4 * s * d + 4 * d * f;
        double crossKeyValue = 4 * d * d;
        double projection = 2 * d * config.targetVocabSize();
        return sourceTokens * config.encoderLayers() * encoderLayer
                + targetTokens * config.decoderLayers() * decoderLayer
                + sourceTokens * config.decoderLayers() * crossKeyValue
                + targetTokens * projection;
    }

    /**
     * Counts the FLOPs of one training step: forward plus backward, 3 × {@link #forward}.
     *
     * @param config the model
     * @param batch the sentences B
     * @param sourceLength the source positions S per sentence
     * @param targetLength the decoder positions T per sentence
     * @return the training-step FLOPs
     */
    public static double trainingStep(
            TransformerConfig config, int batch, int sourceLength, int targetLength) {
        return 3 * forward(config, batch, sourceLength, targetLength);
    }
}
