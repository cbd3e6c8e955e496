package io.github.djlseq2seq.train;

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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adam (Kingma and Ba) whose whole state — moments and step — can be saved and restored, so a
 * resumed run continues exactly where it stopped. DJL's own {@code Adam} keeps its moments private.
 *
 * <p>The training loop owns the step counter ({@link #setStep}) and may rescale the gradients of
 * one step ({@link #setGradientScale}), which is how global-norm clipping is applied. The update
 * itself is DJL's fused {@code adamUpdate} kernel.
 */
public class ResumableAdam extends Optimizer {

    private final Tracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;

    /** parameter id → {mean, variance}, sorted so that saved state has a stable order. */
    private final Map<String, NDArray[]> moments = new TreeMap<>();

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
     * Sets the 1-based number of the update about to be applied; the schedule reads it.
     *
     * @param step the step number
     */
    public void setStep(int step) {
        this.step = step;
    }

    /**
     * Returns the number of the last update applied.
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
        int t = Math.max(1, step);
        float lr = learningRate.getNewValue(t);
        double biasCorrection = Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        NDArray[] m = moments.computeIfAbsent(parameterId, k -> zeros(weight));
        NDArrayEx ex = weight.getNDArrayInternal();
        ex.adamUpdate(
                new NDList(weight, grad, m[0], m[1]),
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

    private static NDArray[] zeros(NDArray weight) {
        // in the weight's (the model's) manager: freed with the model, never per batch
        return new NDArray[] {weight.zerosLike(), weight.zerosLike()};
    }

    /**
     * Writes the moments to a file (the step is saved by the caller with the rest of the training
     * state).
     *
     * @param file the file to write
     * @return the parameter ids, in the order their moments were written
     * @throws IOException if the file cannot be written
     */
    public List<String> saveMoments(Path file) throws IOException {
        NDList list = new NDList();
        List<String> ids = new ArrayList<>(moments.keySet());
        for (String id : ids) {
            list.add(moments.get(id)[0]);
            list.add(moments.get(id)[1]);
        }
        Files.write(file, list.encode());
        return ids;
    }

    /**
     * Restores moments written by {@link #saveMoments}.
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
        for (int i = 0; i < ids.size(); i++) {
            moments.put(ids.get(i), new NDArray[] {list.get(2 * i), list.get(2 * i + 1)});
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
