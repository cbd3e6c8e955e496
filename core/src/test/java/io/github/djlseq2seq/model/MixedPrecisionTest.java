package io.github.djlseq2seq.model;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.inference.GreedyDecoder;
import io.github.djlseq2seq.inference.Hypothesis;
import io.github.djlseq2seq.precision.Precision;
import java.util.List;
import java.util.Random;
import org.testng.annotations.Test;

/**
 * The whole model in bf16 against fp32 with the same parameters: logits and every parameter's
 * gradient agree to bf16's precision (and differ by more than fp32's, so the bf16 path is taken),
 * and greedy decoding chooses the same tokens.
 */
public class MixedPrecisionTest {

    private static final long SEED = 11;

    /** A few bf16 roundings (2⁻⁸ each) through two layers. */
    private static final double TOLERANCE = 3e-2;

    /**
     * Gradients pass through every bf16 product of the backward pass, those of the first layers
     * through all of them: {@code torch.autocast("cpu", torch.bfloat16)} on {@code nn.Transformer}
     * of the same size (PyTorch 1.13, the same squared-logits loss) shows relative errors up to
     * 0.10 in the first encoder layer, and this model up to 0.14.
     */
    private static final double GRADIENT_TOLERANCE = 0.25;

    /** How far below fp32's best logit a bf16 greedy choice may be (logits are of order 1). */
    private static final double CHOICE_TOLERANCE = 0.1;

    private static TransformerConfig config() {
        return TransformerConfig.builder()
                .setSourceVocabSize(TinyModel.VOCAB)
                .setTargetVocabSize(TinyModel.VOCAB + 4)
                .optModelDim(32)
                .optNumHeads(4)
                .optEncoderLayers(2)
                .optDecoderLayers(2)
                .optFeedForwardDim(64)
                .optDropout(0f)
                .optMaxLength(32)
                .build();
    }

    @Test
    public void logitsMatchFp32ToBf16Precision() {
        try (TinyModel fp32 = new TinyModel(config(), DataType.FLOAT32, SEED, Precision.FP32);
                TinyModel bf16 = new TinyModel(config(), DataType.FLOAT32, SEED, Precision.BF16);
                NDManager call = fp32.manager.newSubManager()) {
            assertEquals(bf16.block.getPrecision(), Precision.BF16);
            NDArray source = TinyModel.paddedIds(call, new Random(3), TinyModel.VOCAB, 9, 4, 7);
            NDArray target = TinyModel.paddedIds(call, new Random(4), TinyModel.VOCAB, 6, 8, 3);
            NDArray exact = fp32.logits(source, target);
            NDArray mixed = bf16.logits(source, target);
            assertEquals(mixed.getDataType(), DataType.FLOAT32);
            double error = relativeError(mixed, exact);
            assertTrue(error < TOLERANCE, "relative error of the logits " + error);
            assertTrue(error > 1e-5, "relative error " + error + " is fp32's: bf16 not used");
        }
    }

    @Test
    public void parameterGradientsMatchFp32ToBf16Precision() {
        try (TinyModel fp32 = new TinyModel(config(), DataType.FLOAT32, SEED, Precision.FP32);
                TinyModel bf16 = new TinyModel(config(), DataType.FLOAT32, SEED, Precision.BF16);
                NDManager call = fp32.manager.newSubManager()) {
            NDArray source = TinyModel.paddedIds(call, new Random(5), TinyModel.VOCAB, 9, 4, 7);
            NDArray target = TinyModel.paddedIds(call, new Random(6), TinyModel.VOCAB, 6, 8, 3);
            backward(fp32, source, target);
            backward(bf16, source, target);
            ParameterList exact = fp32.block.getParameters();
            ParameterList mixed = bf16.block.getParameters();
            assertEquals(mixed.size(), exact.size());
            double worst = 0;
            for (int i = 0; i < exact.size(); i++) {
                NDArray g = exact.get(i).getValue().getArray().getGradient();
                NDArray h = mixed.get(i).getValue().getArray().getGradient();
                if (g.norm().getFloat() > 1e-6) {
                    double error = relativeError(h, g);
                    assertTrue(error < GRADIENT_TOLERANCE, exact.get(i).getKey() + ": " + error);
                    worst = Math.max(worst, error);
                }
            }
            assertTrue(worst > 1e-5, "gradients agree to fp32's precision: bf16 not used");
            // the output projection's gradient has passed through one bf16 product only
            NDArray g = fp32.block.getParameters().get("05projection_weight").getArray();
            NDArray h = bf16.block.getParameters().get("05projection_weight").getArray();
            double projection = relativeError(h.getGradient(), g.getGradient());
            assertTrue(projection < TOLERANCE, "projection gradient " + projection);
        }
    }

    /**
     * Every token bf16 greedy decoding chooses is one fp32 also rates best, up to bf16's rounding:
     * fed the bf16 output, fp32's logit of each chosen token is within {@link #CHOICE_TOLERANCE} of
     * its best logit. (An untrained model has near-ties, so the outputs themselves may part where
     * two tokens are closer than bf16 can tell apart.)
     */
    @Test
    public void greedyDecodingChoosesTokensFp32RatesBest() {
        try (TinyModel fp32 = new TinyModel(config(), DataType.FLOAT32, SEED, Precision.FP32);
                TinyModel bf16 = new TinyModel(config(), DataType.FLOAT32, SEED, Precision.BF16);
                NDManager call = fp32.manager.newSubManager()) {
            NDArray source = TinyModel.paddedIds(call, new Random(7), TinyModel.VOCAB, 9, 4, 7, 5);
            DecodingOptions options = DecodingOptions.builder().build();
            List<Hypothesis> mixed = new GreedyDecoder(bf16.block, options).decode(bf16.ps, source);
            int checked = 0;
            for (int i = 0; i < mixed.size(); i++) {
                int[] tokens = mixed.get(i).getTokens();
                int[] input = new int[tokens.length + 1];
                input[0] = SpecialTokens.START_ID;
                System.arraycopy(tokens, 0, input, 1, tokens.length);
                NDArray row = source.get(i).expandDims(0); // [1, S]
                NDArray logits = fp32.logits(row, call.create(new int[][] {input})).get(0);
                float[][] byPosition = new float[tokens.length][];
                for (int t = 0; t < tokens.length; t++) {
                    byPosition[t] = logits.get(t).toFloatArray(); // [V]
                    float best = Float.NEGATIVE_INFINITY;
                    for (int v = 0; v < byPosition[t].length; v++) {
                        if (v != SpecialTokens.PAD_ID && v != SpecialTokens.START_ID) {
                            best = Math.max(best, byPosition[t][v]); // never outputs
                        }
                    }
                    float chosen = byPosition[t][tokens[t]];
                    assertTrue(
                            chosen >= best - CHOICE_TOLERANCE,
                            "sentence " + i + " position " + t + ": " + chosen + " vs " + best);
                    checked++;
                }
            }
            assertTrue(checked >= 8, "only " + checked + " tokens decoded");
        }
    }

    /** Sum of squared logits, backward: every parameter gets a gradient. */
    private static void backward(TinyModel m, NDArray source, NDArray target) {
        ParameterStore ps = new ParameterStore(m.manager, false);
        for (Pair<String, Parameter> p : m.block.getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = m.block.forward(ps, new NDList(source, target), true).head();
            collector.backward(logits.square().mean());
        }
    }

    private static double relativeError(NDArray a, NDArray b) {
        return a.sub(b).norm().getFloat() / b.norm().getFloat();
    }
}
