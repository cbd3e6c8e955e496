package io.github.djlseq2seq.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.internal.NDArrayEx;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Adam (Kingma and Ba) whose whole state — moments and step — can be saved and restored, so a
 * resumed run continues exactly where it stopped. DJL's own {@code Adam} keeps its moments private.
 *
 * <p>The step of an update (for the learning-rate schedule and the bias correction) is the
 * optimizer's own count of the updates of that parameter on that device, as DJL's {@code Adam}
 * counts them: used alone (for example under DJL's {@code EasyTrain.fit}), the optimizer needs no
 * step from outside. {@link #setStep} is for a resumed run, whose count continues from its
 * checkpoint. A caller may rescale the gradients of one step ({@link #setGradientScale}), which is
 * how global-norm clipping is applied. The update itself is DJL's fused {@code adamUpdate} kernel.
 *
 * <p><b>Devices.</b> DJL's {@code LocalParameterServer} sums the gradients of all devices and then
 * calls {@link #update} once per device, for each device's copy of the parameter, with the same
 * summed gradient. The state is therefore kept per parameter and device, as DJL's {@code Adam}
 * keeps it: every copy starts from the same moments (zeros, or those restored by {@link
 * #loadMoments}) in the first update and counts its own updates, so after each synchronous step all
 * copies hold identical moments and weights. Unlike DJL's {@code Adam}, a device's moments are
 * never copied from another device's already-updated ones, and the step does not advance once per
 * device. A device seen for the first time after the first update is an error: the optimizer cannot
 * know the moments it should start from.
 *
 * <p><b>Saved state.</b> {@link #saveMoments} writes one pair of moments per parameter (the copy
 * with the most updates; all copies are identical after a synchronous step), the same file as a
 * single-device run writes, so checkpoints load whatever the number of devices on either side.
 */
public class ResumableAdam extends Optimizer {

    private final Tracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;

    /** parameter id → device → its moments; ids sorted so that saved state has a stable order. */
    private final Map<String, Map<Device, Moments>> moments = new TreeMap<>();

    /**
     * parameter id → {mean, variance} restored by {@link #loadMoments}: where every device's copy
     * starts; dropped once every device has updated from it.
     */
    private final Map<String, NDArray[]> restored = new TreeMap<>();

    /** The number of updates before the first one of this optimizer (a resumed run's step). */
    private int startStep;

    private int step;
    private float gradientScale = 1f;

    ResumableAdam(Builder builder) {
        super(builder);
        learningRate = builder.learningRate;
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        epsilon = builder.epsilon;
    }

    /**
     * Creates a builder with the paper's β1 = 0.9, β2 = 0.98, ε = 1e-9.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sets the number of updates already applied, as when a run resumes from a checkpoint taken
     * after that many steps: the next update of every parameter is step {@code step + 1}. Not
     * needed otherwise: the optimizer counts its updates itself.
     *
     * @param step the number of updates already applied, 0 or more
     * @throws IllegalArgumentException if {@code step} is negative
     */
    public void setStep(int step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be ≥ 0, got " + step);
        }
        startStep = step;
        this.step = step;
        for (Map<Device, Moments> perDevice : moments.values()) {
            for (Moments m : perDevice.values()) {
                m.updates = step;
            }
        }
    }

    /**
     * Returns the number of the last update applied: the most updates of any parameter on any
     * device, or the step set by {@link #setStep} before the first update.
     *
     * @return the step
     */
    public int getStep() {
        return step;
    }

    /**
     * Returns the learning rate at a step.
     *
     * @param step the step number
     * @return the learning rate
     */
    public float learningRateAt(int step) {
        return learningRate.getNewValue(step);
    }

    /**
     * Scales the gradients of the next update (global-norm clipping uses a factor ≤ 1).
     *
     * @param scale the factor
     */
    public void setGradientScale(float scale) {
        this.gradientScale = scale;
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        Moments m = momentsOf(parameterId, weight);
        int t = ++m.updates;
        step = Math.max(step, t);
        float lr = learningRate.getNewValue(t);
        double biasCorrection = Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        NDArrayEx ex = weight.getNDArrayInternal();
        ex.adamUpdate(
                new NDList(weight, grad, m.mean, m.variance),
                new NDList(weight),
                lr,
                (float) (lr * biasCorrection),
                getWeightDecay(),
                rescaleGrad * gradientScale,
                clipGrad,
                beta1,
                beta2,
                epsilon,
                true,
                false);
    }

    /**
     * Returns the device whose copy of a parameter {@code weight} is: the key of its state.
     *
     * @param weight a copy of a parameter
     * @return its device
     */
    Device deviceOf(NDArray weight) {
        return weight.getDevice();
    }

    /** The moments of one copy of a parameter, created at its first update. */
    private Moments momentsOf(String parameterId, NDArray weight) {
        Device device = deviceOf(weight);
        Map<Device, Moments> perDevice =
                moments.computeIfAbsent(parameterId, k -> new LinkedHashMap<>());
        Moments m = perDevice.get(device);
        if (m != null) {
            if (m.updates > startStep) {
                // every device updated from the restored moments in the first step
                NDArray[] start = restored.remove(parameterId);
                if (start != null) {
                    start[0].close();
                    start[1].close();
                }
            }
            return m;
        }
        for (Moments other : perDevice.values()) {
            if (other.updates > startStep + 1) {
                throw new IllegalStateException(
                        "ResumableAdam: parameter "
                                + parameterId
                                + " is updated on "
                                + device
                                + " for the first time at update "
                                + (other.updates + 1)
                                + ", after other devices; every device must take part from the"
                                + " first update (DJL's ParameterServer contract). Use a new"
                                + " optimizer, or restore its state with loadMoments, for a new"
                                + " set of devices.");
            }
        }
        NDArray[] start = restored.get(parameterId);
        // in the weight's manager (the model's, or the trainer's for another device's copy):
        // freed with it, never per batch
        m =
                start == null
                        ? new Moments(weight.zerosLike(), weight.zerosLike(), startStep)
                        : new Moments(
                                copy(start[0], weight.getDevice()),
                                copy(start[1], weight.getDevice()),
                                startStep);
        perDevice.put(device, m);
        return m;
    }

    /** A copy that shares no memory: PyTorch's {@code to} returns the same tensor on its device. */
    private static NDArray copy(NDArray array, Device device) {
        return array.getDevice().equals(device) ? array.duplicate() : array.toDevice(device, true);
    }

    /**
     * Writes the moments to a file (the step is saved by the caller with the rest of the training
     * state): one pair per parameter, whatever the number of devices.
     *
     * @param file the file to write
     * @return the parameter ids, in the order their moments were written
     * @throws IOException if the file cannot be written
     */
    public List<String> saveMoments(Path file) throws IOException {
        Set<String> ids = new TreeSet<>(moments.keySet());
        ids.addAll(restored.keySet());
        NDList list = new NDList();
        for (String id : ids) {
            NDArray[] pair = latest(id);
            list.add(pair[0]);
            list.add(pair[1]);
        }
        Files.write(file, list.encode());
        return new ArrayList<>(ids);
    }

    /** The moments of the copy of a parameter with the most updates, or those restored. */
    private NDArray[] latest(String parameterId) {
        Moments best = null;
        for (Moments m : moments.getOrDefault(parameterId, Map.of()).values()) {
            if (best == null || m.updates > best.updates) {
                best = m;
            }
        }
        return best == null ? restored.get(parameterId) : new NDArray[] {best.mean, best.variance};
    }

    /**
     * Restores moments written by {@link #saveMoments}: every device's copy of a parameter will
     * start from them. Call {@link #setStep} with the number of updates they were saved after.
     *
     * @param manager the manager (and device) that will own the moments, e.g. the model's
     * @param file the file to read
     * @param ids the parameter ids returned by {@link #saveMoments}
     * @throws IOException if the file cannot be read or does not match the ids
     */
    public void loadMoments(NDManager manager, Path file, List<String> ids) throws IOException {
        NDList list = NDList.decode(manager, Files.readAllBytes(file));
        if (list.size() != 2 * ids.size()) {
            throw new IOException(
                    file + ": holds " + list.size() + " arrays, expected " + 2 * ids.size());
        }
        moments.clear();
        restored.clear();
        for (int i = 0; i < ids.size(); i++) {
            restored.put(ids.get(i), new NDArray[] {list.get(2 * i), list.get(2 * i + 1)});
        }
    }

    /** The first and second moments of one copy of a parameter, and its updates so far. */
    private static final class Moments {
        private final NDArray mean;
        private final NDArray variance;
        private int updates;

        Moments(NDArray mean, NDArray variance, int updates) {
            this.mean = mean;
            this.variance = variance;
            this.updates = updates;
        }
    }

    /** Builds a {@link ResumableAdam}. */
    public static final class Builder extends OptimizerBuilder<Builder> {
        private Tracker learningRate = Tracker.fixed(1e-3f);
        private float beta1 = 0.9f;
        private float beta2 = 0.98f;
        private float epsilon = 1e-9f;

        Builder() {}

        /** {@inheritDoc} */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the learning-rate schedule (default fixed 1e-3).
         *
         * @param tracker the schedule
         * @return this builder
         */
        public Builder optLearningRateTracker(Tracker tracker) {
            this.learningRate = tracker;
            return this;
        }

        /**
         * Sets β1 (default 0.9).
         *
         * @param beta1 the first-moment decay
         * @return this builder
         */
        public Builder optBeta1(float beta1) {
            this.beta1 = beta1;
            return this;
        }

        /**
         * Sets β2 (default 0.98).
         *
         * @param beta2 the second-moment decay
         * @return this builder
         */
        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets ε (default 1e-9).
         *
         * @param epsilon the denominator offset
         * @return this builder
         */
        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer
         */
        public ResumableAdam build() {
            return new ResumableAdam(this);
        }
    }
}
