package io.github.djlseq2seq.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Every training device's copy of a model's trainable parameters, as a {@link Trainer}'s parameter
 * store holds them: the arrays whose gradients DJL's {@code LocalParameterServer} sums into the
 * first device's before it calls the optimizer once per copy.
 *
 * <p>DJL 0.36 keeps a trainer's {@link ParameterStore} private and offers no other way to a
 * device's copy; it is read once, by reflection, when the run starts.
 */
final class DeviceParameters {

    private final List<Parameter> parameters;
    private final Device[] devices;
    private final BiFunction<Parameter, Device, NDArray> copyOf;

    /**
     * Describes the copies.
     *
     * @param parameters the trainable parameters
     * @param devices the training devices, the first one the device gradients are summed on
     * @param copyOf a parameter's copy on a device
     */
    DeviceParameters(
            List<Parameter> parameters,
            Device[] devices,
            BiFunction<Parameter, Device, NDArray> copyOf) {
        this.parameters = parameters;
        this.devices = devices.clone();
        this.copyOf = copyOf;
    }

    /**
     * Finds the copies an initialised trainer trains.
     *
     * @param trainer the trainer, after {@link Trainer#initialize}
     * @return the copies of its model's trainable parameters on its devices
     * @throws IllegalStateException if the trainer's parameter store cannot be read (another DJL
     *     version)
     */
    static DeviceParameters of(Trainer trainer) {
        ParameterStore store = parameterStore(trainer);
        // by id, as the store keeps them: a parameter shared by two blocks is one parameter
        Map<String, Parameter> trainable = new LinkedHashMap<>();
        for (Parameter p : trainer.getModel().getBlock().getParameters().values()) {
            if (p.requiresGradient()) {
                trainable.putIfAbsent(p.getId(), p);
            }
        }
        return new DeviceParameters(
                new ArrayList<>(trainable.values()),
                trainer.getDevices(),
                (p, d) -> store.getValue(p, d, true));
    }

    static ParameterStore parameterStore(Trainer trainer) {
        try {
            Field field = Trainer.class.getDeclaredField("parameterStore");
            field.setAccessible(true);
            return (ParameterStore) field.get(trainer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "Cannot read the parameter store of DJL's Trainer (this library is built for"
                            + " DJL 0.36): "
                            + e,
                    e);
        }
    }

    /**
     * Returns each parameter's gradient summed over the devices, in the order and on the device
     * where {@code LocalParameterServer} sums them: the gradients the optimizer will receive.
     *
     * @param scope owns the returned arrays and every temporary
     * @return one gradient per trainable parameter
     */
    List<NDArray> summedGradients(NDManager scope) {
        List<NDArray> sums = new ArrayList<>(parameters.size());
        for (Parameter p : parameters) {
            NDArray sum = null;
            for (Device device : devices) {
                NDArray g = copyOf.apply(p, device).getGradient();
                g.attach(scope);
                sum = sum == null ? g : sum.add(g.toDevice(sum.getDevice(), false));
            }
            sums.add(sum);
        }
        return sums;
    }

    /**
     * Sets every copy's gradient to zero in place, as an update does, so that a step that is not
     * applied leaves nothing behind (a NaN gradient included: multiplying by zero would keep it).
     *
     * @param scope owns the temporaries
     */
    void zeroGradients(NDManager scope) {
        NDIndex all = new NDIndex("...");
        for (Parameter p : parameters) {
            for (Device device : devices) {
                NDArray g = copyOf.apply(p, device).getGradient();
                g.attach(scope);
                g.set(all, 0f);
            }
        }
    }
}
