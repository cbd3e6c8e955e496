package io.github.djlseq2seq.train;

import static io.github.djlseq2seq.PyTorchFixtures.array;
import static io.github.djlseq2seq.PyTorchFixtures.assertClose;
import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.Tracker;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.djlseq2seq.PyTorchFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.testng.annotations.Test;

/**
 * {@link ResumableAdam} under DJL's {@code ParameterServer} contract: {@link LocalParameterServer}
 * sums the devices' gradients and calls the optimizer once per device copy. With no GPU here, two
 * CPU arrays stand for the copies on two devices ({@code ResumableAdam#deviceOf} names the second
 * {@code gpu(1)}: DJL maps every CPU device id to {@code cpu()}). Reference numbers: {@code
 * torch.optim.Adam} on the summed gradient ({@code adam.json}).
 */
public class ResumableAdamTest {

    private static final double TOLERANCE = 1e-6;

    /** An Adam that takes {@code second} for the copy on a second device. */
    private static ResumableAdam twoDeviceAdam(JsonObject fixture, NDArray second) {
        ResumableAdam.Builder builder =
                ResumableAdam.builder()
                        .optLearningRateTracker(
                                Tracker.fixed(fixture.get("learningRate").getAsFloat()))
                        .optBeta1(fixture.get("beta1").getAsFloat())
                        .optBeta2(fixture.get("beta2").getAsFloat())
                        .optEpsilon(fixture.get("epsilon").getAsFloat());
        return new ResumableAdam(builder) {
            @Override
            Device deviceOf(NDArray weight) {
                return weight == second ? Device.gpu(1) : Device.cpu();
            }
        };
    }

    /** One step as the parameter server makes it: each device holds half the batch's gradient. */
    private static void serverStep(
            ResumableAdam adam, NDManager manager, JsonObject gradient, NDArray[] copies) {
        NDArray g = array(manager, gradient);
        // halving is exact in float32, so the server's sum is the fixture's gradient exactly
        NDArray[] grads = {g.mul(0.5f), g.mul(0.5f)};
        new LocalParameterServer(adam).update("w", grads, copies);
    }

    @Test
    public void twoDeviceCopiesTakeTheSingleDeviceUpdate() {
        JsonObject fixture = PyTorchFixtures.load("adam.json");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray first = array(manager, fixture.getAsJsonObject("weight"));
            NDArray second = first.duplicate();
            ResumableAdam adam = twoDeviceAdam(fixture, second);
            JsonArray gradients = fixture.getAsJsonArray("gradients");
            JsonArray expected = fixture.getAsJsonArray("weightsAfterStep");
            for (int t = 0; t < gradients.size(); t++) {
                serverStep(
                        adam, manager, gradients.get(t).getAsJsonObject(), copies(first, second));
                assertEquals(adam.getStep(), t + 1, "one step per server update, not per device");
                JsonObject torch = expected.get(t).getAsJsonObject();
                assertClose(first, torch, TOLERANCE, TOLERANCE, "device 0 after " + (t + 1));
                assertClose(second, torch, TOLERANCE, TOLERANCE, "device 1 after " + (t + 1));
                assertTrue(
                        Arrays.equals(first.toFloatArray(), second.toFloatArray()),
                        "the copies differ after step " + (t + 1));
            }
        }
    }

    /**
     * Moments saved from a two-device run are one pair per parameter, and a fresh optimizer that
     * loads them (as a resumed run does, with {@code setStep}) continues on two devices as torch
     * does.
     */
    @Test
    public void savedMomentsResumeOnTwoDevices() throws Exception {
        JsonObject fixture = PyTorchFixtures.load("adam.json");
        JsonArray gradients = fixture.getAsJsonArray("gradients");
        Path file = Files.createTempFile("moments", ".ndlist");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray first = array(manager, fixture.getAsJsonObject("weight"));
            NDArray second = first.duplicate();
            ResumableAdam before = twoDeviceAdam(fixture, second);
            for (int t = 0; t < 2; t++) {
                serverStep(
                        before, manager, gradients.get(t).getAsJsonObject(), copies(first, second));
            }
            assertEquals(before.saveMoments(file), List.of("w"));

            NDArray resumed = first.duplicate(); // the checkpoint's weight, on both devices
            NDArray resumedSecond = first.duplicate();
            ResumableAdam after = twoDeviceAdam(fixture, resumedSecond);
            after.loadMoments(manager, file, List.of("w"));
            after.setStep(2);
            serverStep(
                    after,
                    manager,
                    gradients.get(2).getAsJsonObject(),
                    copies(resumed, resumedSecond));
            assertEquals(after.getStep(), 3);
            JsonObject torch = fixture.getAsJsonArray("weightsAfterStep").get(2).getAsJsonObject();
            assertClose(resumed, torch, TOLERANCE, TOLERANCE, "device 0 after the resumed step");
            assertClose(resumedSecond, torch, TOLERANCE, TOLERANCE, "device 1 after it");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void aDeviceThatJoinsLateIsAnError() {
        JsonObject fixture = PyTorchFixtures.load("adam.json");
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray first = array(manager, fixture.getAsJsonObject("weight"));
            NDArray second = first.duplicate();
            ResumableAdam adam = twoDeviceAdam(fixture, second);
            NDArray g =
                    array(manager, fixture.getAsJsonArray("gradients").get(0).getAsJsonObject());
            adam.update("w", first, g);
            adam.update("w", first, g);
            IllegalStateException e =
                    expectThrows(IllegalStateException.class, () -> adam.update("w", second, g));
            assertTrue(e.getMessage().contains("parameter w"), e.getMessage());
        }
    }

    /** DJL's own training loop never calls {@code setStep}: the optimizer counts the steps. */
    @Test
    public void easyTrainFitAdvancesTheStep() throws Exception {
        ResumableAdam adam =
                ResumableAdam.builder().optLearningRateTracker(Tracker.fixed(0.01f)).build();
        try (Model model = Model.newInstance("linear", Device.cpu());
                NDManager manager = NDManager.newBaseManager()) {
            model.setBlock(Linear.builder().setUnits(1).build());
            ArrayDataset data =
                    new ArrayDataset.Builder()
                            .setData(manager.randomUniform(-1, 1, new Shape(4, 3)))
                            .optLabels(manager.ones(new Shape(4, 1)))
                            .setSampling(4, false)
                            .build();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.l2Loss())
                            .optOptimizer(adam)
                            .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(4, 3));
                EasyTrain.fit(trainer, 3, data, null);
            }
        }
        assertEquals(adam.getStep(), 3);
    }

    private static NDArray[] copies(NDArray first, NDArray second) {
        return new NDArray[] {first, second};
    }
}
