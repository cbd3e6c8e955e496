package io.github.djlseq2seq.train;

import static io.github.djlseq2seq.PyTorchFixtures.array;
import static io.github.djlseq2seq.PyTorchFixtures.assertClose;
import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.djlseq2seq.PyTorchFixtures;
import java.util.ArrayList;
import java.util.List;
import org.testng.annotations.Test;

/**
 * {@link ResumableAdam} against {@code torch.optim.Adam} (β1 0.9, β2 0.98, ε 1e-9), step by step,
 * and its gradient scale against {@code torch.nn.utils.clip_grad_norm_} followed by Adam.
 *
 * <p>Weights are compared within 1e-6 relative to max(1, |w|): the weights are of order 1, and one
 * float32 rounding of a weight is 6e-8 of it.
 */
public class ReferenceOptimizerTest {

    private static final double TOLERANCE = 1e-6;

    private static ResumableAdam adam(JsonObject fixture) {
        return ResumableAdam.builder()
                .optLearningRateTracker(Tracker.fixed(fixture.get("learningRate").getAsFloat()))
                .optBeta1(fixture.get("beta1").getAsFloat())
                .optBeta2(fixture.get("beta2").getAsFloat())
                .optEpsilon(fixture.get("epsilon").getAsFloat())
                .build();
    }

    /**
     * Used as DJL's {@code EasyTrain.fit} uses an optimizer, with no step from outside: the
     * optimizer counts its updates, so the bias correction and the learning rate follow the step.
     */
    @Test
    public void threeAdamStepsMatchPyTorch() {
        JsonObject fixture = PyTorchFixtures.load("adam.json");
        ResumableAdam adam = adam(fixture);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = array(manager, fixture.getAsJsonObject("weight"));
            JsonArray gradients = fixture.getAsJsonArray("gradients");
            JsonArray expected = fixture.getAsJsonArray("weightsAfterStep");
            for (int t = 0; t < gradients.size(); t++) {
                adam.update("w", weight, array(manager, gradients.get(t).getAsJsonObject()));
                assertEquals(adam.getStep(), t + 1);
                assertClose(
                        weight,
                        expected.get(t).getAsJsonObject(),
                        TOLERANCE,
                        TOLERANCE,
                        "weight after step " + (t + 1));
            }
        }
    }

    /**
     * The global-norm clipping factor is computed inside the training loop, out of a test's reach;
     * this checks the part {@link ResumableAdam} owns: the factor set with {@link
     * ResumableAdam#setGradientScale} scales the gradient before it enters the moments, as {@code
     * clip_grad_norm_} does. The three steps have gradient norms of about 0.2, 9 and 36 with a
     * limit of 1, so a scale that is dropped, or applied after the moments, changes the weights.
     */
    @Test
    public void gradientScaleMatchesClipGradNorm() {
        JsonObject fixture = PyTorchFixtures.load("clipping.json");
        ResumableAdam adam = adam(fixture);
        double maxNorm = fixture.get("maxNorm").getAsDouble();
        try (NDManager manager = NDManager.newBaseManager()) {
            JsonArray initial = fixture.getAsJsonArray("weights");
            NDArray[] weights = new NDArray[initial.size()];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = array(manager, initial.get(i).getAsJsonObject());
            }
            JsonArray steps = fixture.getAsJsonArray("steps");
            boolean clipped = false;
            for (int t = 0; t < steps.size(); t++) {
                JsonObject step = steps.get(t).getAsJsonObject();
                double norm = step.get("totalNorm").getAsDouble();
                double scale = step.get("clipScale").getAsDouble();
                assertEquals(scale, Math.min(1, maxNorm / (norm + 1e-6)), 1e-12, "fixture");
                clipped |= scale < 0.5;
                JsonArray gradients = step.getAsJsonArray("gradients");
                List<NDArray> grads = new ArrayList<>();
                for (int i = 0; i < weights.length; i++) {
                    grads.add(array(manager, gradients.get(i).getAsJsonObject()));
                }
                // our clipping factor, from the same gradients, against clip_grad_norm_'s
                float ours = GradientClipping.scale(GradientClipping.norm(grads), (float) maxNorm);
                assertEquals(ours, scale, 1e-6, "clip factor at step " + (t + 1));
                adam.setGradientScale(ours);
                for (int i = 0; i < weights.length; i++) {
                    adam.update("p" + i, weights[i], grads.get(i));
                }
                JsonArray expected = step.getAsJsonArray("weightsAfter");
                for (int i = 0; i < weights.length; i++) {
                    assertClose(
                            weights[i],
                            expected.get(i).getAsJsonObject(),
                            TOLERANCE,
                            TOLERANCE,
                            "parameter " + i + " after step " + (t + 1));
                }
            }
            assertTrue(clipped, "the fixture must clip");
        }
    }
}
