package io.github.djlseq2seq.train;

import ai.djl.ndarray.NDArray;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterServer;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;

/**
 * DJL's {@link LocalParameterServer} without its copy of every gradient when there is one device.
 *
 * <p>{@code LocalParameterServer.update} duplicates the summed gradient before it calls the
 * optimizer, because DJL's PyTorch optimizers zero the gradient they are given and a second
 * device's copy still needs it. With one device nothing reads the gradient after the update, so
 * this server hands the optimizer the gradient itself: one parameter-sized allocation and copy
 * fewer per parameter and step (11.7 M floats for base-cpu). With several devices it does exactly
 * what {@code LocalParameterServer} does.
 */
public final class SingleCopyParameterServer implements ParameterServer {

    private final Optimizer optimizer;
    private final LocalParameterServer several;

    /**
     * Creates a server for an optimizer.
     *
     * @param optimizer the optimizer that updates the parameters
     */
    public SingleCopyParameterServer(Optimizer optimizer) {
        this.optimizer = optimizer;
        this.several = new LocalParameterServer(optimizer);
    }

    /**
     * Makes this server the parameter server of an initialised trainer, for its devices. DJL 0.36
     * has no public way to choose it, so the trainer's parameter store is reached by reflection, as
     * {@link DeviceParameters} reaches it.
     *
     * @param trainer the trainer, after {@link Trainer#initialize}
     * @param optimizer the optimizer of the trainer's configuration
     * @throws IllegalStateException if the trainer's parameter store cannot be read
     */
    public static void install(Trainer trainer, Optimizer optimizer) {
        DeviceParameters.parameterStore(trainer)
                .setParameterServer(new SingleCopyParameterServer(optimizer), trainer.getDevices());
    }

    /** {@inheritDoc} */
    @Override
    public void init(String parameterId, NDArray[] value) {}

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray[] grads, NDArray[] params) {
        if (params.length == 1) {
            optimizer.update(parameterId, params[0], grads[0]);
        } else {
            several.update(parameterId, grads, params);
        }
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        several.close();
    }
}
