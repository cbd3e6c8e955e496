package io.github.djlseq2seq.train;

import static org.testng.Assert.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/**
 * The gradients clipping sees are those the parameter server will apply: summed over the devices.
 * Two CPU arrays stand for a parameter's copies on two devices (no GPU here).
 */
public class DeviceParametersTest {

    private static final Device SECOND = Device.gpu(1); // a key only: nothing is moved there

    /** A copy of a parameter whose gradient is {@code gradient}. */
    private static NDArray copyWithGradient(NDManager manager, float[] gradient) {
        NDArray weight = manager.zeros(new Shape(gradient.length));
        weight.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(weight.mul(manager.create(gradient)).sum());
        }
        return weight;
    }

    private static DeviceParameters twoDevices(Map<Device, NDArray[]> copies, Parameter... ps) {
        List<Parameter> parameters = List.of(ps);
        return new DeviceParameters(
                parameters,
                new Device[] {Device.cpu(), SECOND},
                (p, d) -> copies.get(d)[parameters.indexOf(p)]);
    }

    private static Parameter parameter(String name) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
    }

    @Test
    public void theNormIsTheNormOfTheSummedGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // device 0: a = (3, 0), b = (1); device 1: a = (1, 3), b = (−1)
            // summed: a = (4, 3), b = (0): norm 5 (device 0 alone: √10; per-device norms: √10 +
            // √11)
            Map<Device, NDArray[]> copies =
                    Map.of(
                            Device.cpu(),
                            new NDArray[] {
                                copyWithGradient(manager, new float[] {3, 0}),
                                copyWithGradient(manager, new float[] {1})
                            },
                            SECOND,
                            new NDArray[] {
                                copyWithGradient(manager, new float[] {1, 3}),
                                copyWithGradient(manager, new float[] {-1})
                            });
            DeviceParameters parameters = twoDevices(copies, parameter("a"), parameter("b"));
            try (NDManager scope = manager.newSubManager()) {
                List<NDArray> sums = parameters.summedGradients(scope);
                assertEquals(sums.get(0).toFloatArray(), new float[] {4, 3});
                assertEquals(GradientClipping.norm(sums), 5.0, 1e-6);
                assertEquals(GradientClipping.scale(GradientClipping.norm(sums), 1f), 0.2f, 1e-6f);
            }
        }
    }

    @Test
    public void zeroingClearsNanGradientsOnEveryDevice() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray first = copyWithGradient(manager, new float[] {Float.NaN, 1});
            NDArray second = copyWithGradient(manager, new float[] {2, Float.POSITIVE_INFINITY});
            DeviceParameters parameters =
                    twoDevices(
                            Map.of(
                                    Device.cpu(),
                                    new NDArray[] {first},
                                    SECOND,
                                    new NDArray[] {second}),
                            parameter("a"));
            try (NDManager scope = manager.newSubManager()) {
                assertEquals(GradientClipping.norm(parameters.summedGradients(scope)), Double.NaN);
                parameters.zeroGradients(scope);
            }
            assertEquals(first.getGradient().toFloatArray(), new float[] {0, 0});
            assertEquals(second.getGradient().toFloatArray(), new float[] {0, 0});
        }
    }
}
