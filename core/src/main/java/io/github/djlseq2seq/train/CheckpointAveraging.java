package io.github.djlseq2seq.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checkpoint averaging, as fairseq's {@code scripts/average_checkpoints.py}: every parameter of the
 * result is the element-wise mean of that parameter over K checkpoints of one run (typically the
 * last K), which usually scores a little better than the last checkpoint alone.
 *
 * <p>Each checkpoint is read by {@link Checkpoints#readParameters} into a block of the target
 * model's configuration, so a file that is missing, truncated or from another configuration fails
 * with an error naming it; checkpoints written before the fused in-projection load too. The sums
 * are kept in float64 and the mean is rounded once to the parameter's type.
 */
public final class CheckpointAveraging {

    private CheckpointAveraging() {}

    /**
     * Returns the last K step checkpoints of a checkpoint directory ({@code step-NNNNNNNN}, never
     * {@code best} or an incomplete one), oldest first.
     *
     * @param checkpointDir a run's {@code checkpoints} directory
     * @param k how many, 1 or more
     * @return the checkpoint directories
     * @throws IOException if the directory cannot be listed, or holds fewer than K checkpoints (the
     *     message names the directory and what it holds)
     */
    public static List<Path> lastCheckpoints(Path checkpointDir, int k) throws IOException {
        if (k < 1) {
            throw new IllegalArgumentException("the number of checkpoints must be ≥ 1, got " + k);
        }
        if (!Files.isDirectory(checkpointDir)) {
            throw new IOException(checkpointDir + ": no such checkpoint directory");
        }
        List<Path> all = new Checkpoints(checkpointDir, Integer.MAX_VALUE).steps();
        if (all.size() < k) {
            throw new IOException(
                    checkpointDir
                            + " holds "
                            + all.size()
                            + " step checkpoint(s) "
                            + all.stream().map(p -> p.getFileName().toString()).toList()
                            + ", fewer than the "
                            + k
                            + " to average");
        }
        return new ArrayList<>(all.subList(all.size() - k, all.size()));
    }

    /**
     * Sets every parameter of a model to its mean over checkpoints.
     *
     * @param model the model to write the mean into; its block is a {@link Seq2SeqTransformer}
     *     whose configuration every checkpoint must have
     * @param checkpoints checkpoint directories (holding {@code parameters.params}) or parameter
     *     files, at least one
     * @throws IOException if a checkpoint is missing, malformed or of another configuration; the
     *     message names it
     */
    public static void average(Model model, List<Path> checkpoints) throws IOException {
        if (checkpoints.isEmpty()) {
            throw new IllegalArgumentException("no checkpoints to average");
        }
        if (!(model.getBlock() instanceof Seq2SeqTransformer target)) {
            throw new IllegalArgumentException("averaging needs a Seq2SeqTransformer block");
        }
        try (NDManager sums = model.getNDManager().newSubManager()) {
            List<NDArray> total = new ArrayList<>(); // float64, in parameter order
            for (Path checkpoint : checkpoints) {
                try (Model one = Model.newInstance("average", Device.cpu())) {
                    one.setBlock(
                            Seq2SeqTransformer.builder().setConfig(target.getConfig()).build());
                    Checkpoints.readParameters(one, parameterFile(checkpoint));
                    ParameterList parameters = one.getBlock().getParameters();
                    for (int i = 0; i < parameters.size(); i++) {
                        NDArray value =
                                parameters.valueAt(i).getArray().toType(DataType.FLOAT64, true);
                        value = value.toDevice(Device.cpu(), false);
                        value.attach(sums);
                        if (total.size() <= i) {
                            total.add(value);
                        } else {
                            total.get(i).addi(value);
                        }
                    }
                }
            }
            Checkpoints.readParameters(model, parameterFile(checkpoints.get(0))); // arrays to fill
            int i = 0;
            for (Pair<String, Parameter> p : target.getParameters()) {
                NDArray array = p.getValue().getArray();
                NDArray mean = total.get(i++).div(checkpoints.size());
                mean.toType(array.getDataType(), false).copyTo(array);
            }
        }
    }

    /** The parameter file of a checkpoint directory, or the path itself if it is a file. */
    private static Path parameterFile(Path checkpoint) {
        return Files.isDirectory(checkpoint) ? Checkpoints.parametersOf(checkpoint) : checkpoint;
    }
}
