package io.github.djlseq2seq.train;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.util.FileUtils;
import io.github.djlseq2seq.zoo.ParameterFiles;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checkpoints of a training run in one directory:
 *
 * <pre>
 *   step-00001200/   parameters.params  (DJL block format)
 *                    optimizer.ndlist   (Adam moments)
 *                    state.json         ({@link TrainingState})
 *   best/            the checkpoint with the lowest validation loss so far
 * </pre>
 *
 * <p>Every checkpoint is written to a temporary directory ({@code step-00001200.tmp-…}) and then
 * renamed, so a crash never leaves a half-written checkpoint under a final name; a directory being
 * deleted (an old checkpoint, or one being replaced) is first renamed to a temporary name too. Only
 * the latest K are kept. The temporary directories a killed process leaves behind are never taken
 * for checkpoints, and {@link #deleteIncomplete} removes them.
 */
public final class Checkpoints {

    private static final String PREFIX = "step-";
    private static final String PARAMETERS = "parameters.params";
    private static final String OPTIMIZER = "optimizer.ndlist";
    private static final String STATE = "state.json";
    private static final String TEMPORARY = ".tmp-";

    private final Path dir;
    private final int keep;

    /**
     * Creates a checkpoint directory manager.
     *
     * @param dir the directory holding the checkpoints
     * @param keep how many of the latest checkpoints to keep
     */
    public Checkpoints(Path dir, int keep) {
        this.dir = dir;
        this.keep = keep;
    }

    /**
     * Writes a checkpoint atomically, then prunes old ones.
     *
     * @param model the model whose block parameters are saved
     * @param optimizer the optimizer whose moments are saved
     * @param state the training state; its {@code optimizerIds} are filled in
     * @return the checkpoint directory
     * @throws IOException if writing fails (nothing is left under the final name)
     */
    public Path save(Model model, ResumableAdam optimizer, TrainingState state) throws IOException {
        Files.createDirectories(dir);
        Path target = pathOf(state.step);
        Path tmp = Files.createTempDirectory(dir, target.getFileName() + TEMPORARY);
        try {
            writeParameters(model.getBlock(), tmp.resolve(PARAMETERS));
            Map<String, String> names = new HashMap<>();
            model.getBlock()
                    .getParameters()
                    .forEach(p -> names.put(p.getValue().getId(), p.getKey()));
            state.optimizerIds =
                    optimizer.saveMoments(tmp.resolve(OPTIMIZER)).stream()
                            .map(names::get)
                            .collect(Collectors.toList());
            Files.writeString(tmp.resolve(STATE), state.toJson(), StandardCharsets.UTF_8);
            deleteAside(target); // the same step saved again (e.g. at an epoch end)
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            prune();
            return target;
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /**
     * Makes a checkpoint the best one, replacing the previous best only once the copy is complete.
     *
     * @param checkpoint a checkpoint written by {@link #save}
     * @throws IOException if copying fails
     */
    public void markBest(Path checkpoint) throws IOException {
        Path tmp = Files.createTempDirectory(dir, "best" + TEMPORARY);
        try (Stream<Path> files = Files.list(checkpoint)) {
            for (Path f : files.collect(Collectors.toList())) {
                Files.copy(f, tmp.resolve(f.getFileName()));
            }
            Path best = dir.resolve("best");
            Path old = dir.resolve("best.old");
            deleteTree(old);
            if (Files.exists(best)) {
                Files.move(best, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, best, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /**
     * Finds the latest complete checkpoint.
     *
     * @return its directory, if any
     * @throws IOException if the directory cannot be listed
     */
    public Optional<Path> latest() throws IOException {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Returns the directory a checkpoint of a step has (or will have).
     *
     * @param step the optimizer step
     * @return {@code DIR/step-NNNNNNNN}
     */
    public Path pathOf(int step) {
        return dir.resolve(String.format("%s%08d", PREFIX, step));
    }

    /**
     * Returns the best checkpoint's directory, if one was marked. A process killed while {@link
     * #markBest} swapped it leaves the previous best as {@code best.old}, which is returned then.
     *
     * @return the directory
     */
    public Optional<Path> best() {
        for (String name : List.of("best", "best.old")) {
            Path best = dir.resolve(name);
            if (Files.isRegularFile(best.resolve(STATE))) {
                return Optional.of(best);
            }
        }
        return Optional.empty();
    }

    /**
     * Deletes the temporary directories ({@code *.tmp-*}) that a process killed while writing or
     * deleting a checkpoint left behind. Call it only while no other process writes to the
     * directory.
     *
     * @throws IOException if one cannot be deleted
     */
    public void deleteIncomplete() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> leftovers;
        try (Stream<Path> s = Files.list(dir)) {
            leftovers =
                    s.filter(p -> p.getFileName().toString().contains(TEMPORARY))
                            .collect(Collectors.toList());
        }
        for (Path p : leftovers) {
            deleteTree(p);
        }
    }

    /**
     * Restores parameters and optimizer moments from a checkpoint, and returns its state.
     *
     * @param checkpoint the checkpoint directory
     * @param model the model to load into, before its trainer is initialised
     * @param optimizer the optimizer to load into
     * @return the training state
     * @throws IOException if a file is missing or malformed; the message names it
     */
    public static TrainingState load(Path checkpoint, Model model, ResumableAdam optimizer)
            throws IOException {
        TrainingState state = readState(checkpoint);
        readParameters(model, checkpoint.resolve(PARAMETERS));
        // moments are saved by parameter name: parameter ids differ between processes
        ParameterList parameters = model.getBlock().getParameters();
        List<String> ids = new ArrayList<>();
        for (String name : state.optimizerIds) {
            if (!parameters.contains(name)) {
                throw new IOException(
                        checkpoint.resolve(STATE)
                                + ": unknown parameter "
                                + name
                                + (name.matches(".*Attention_0[1-3](query|key|value)_(weight|bias)")
                                        ? " (Adam moments of the separate Q/K/V layout, before"
                                                + " the fused in-projection: such a run cannot be"
                                                + " resumed; export or average its checkpoints)"
                                        : ""));
            }
            ids.add(parameters.get(name).getId());
        }
        optimizer.loadMoments(model.getNDManager(), checkpoint.resolve(OPTIMIZER), ids);
        optimizer.setStep(state.step);
        return state;
    }

    /**
     * Reads only the training state of a checkpoint.
     *
     * @param checkpoint the checkpoint directory
     * @return the state
     * @throws IOException if it cannot be read
     */
    public static TrainingState readState(Path checkpoint) throws IOException {
        Path file = checkpoint.resolve(STATE);
        try {
            return TrainingState.fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a block's parameters in DJL's format.
     *
     * @param block the block
     * @param file the file
     * @throws IOException if writing fails
     */
    public static void writeParameters(Block block, Path file) throws IOException {
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            block.saveParameters(out);
        }
    }

    /**
     * Reads parameters written by {@link #writeParameters} into a model's block, checked by {@link
     * ParameterFiles#loadBlockParameters}. When training continues, call this before {@code
     * Trainer.initialize}, which caches the parameter arrays.
     *
     * @param model the model, whose block is a {@link Seq2SeqTransformer}
     * @param file the parameter file
     * @throws IOException if it is missing, truncated or does not match the block; the message
     *     names the file
     */
    public static void readParameters(Model model, Path file) throws IOException {
        if (!(model.getBlock() instanceof Seq2SeqTransformer block)) {
            throw new IOException(
                    file
                            + ": checkpoints hold Seq2SeqTransformer parameters, not parameters of "
                            + model.getBlock());
        }
        try {
            ParameterFiles.loadBlockParameters(block, model.getNDManager(), file);
        } catch (MalformedModelException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Returns the parameter file of a checkpoint directory.
     *
     * @param checkpoint a checkpoint directory
     * @return its {@code parameters.params}
     */
    public static Path parametersOf(Path checkpoint) {
        return checkpoint.resolve(PARAMETERS);
    }

    /** The complete step checkpoints, oldest first. */
    List<Path> steps() throws IOException {
        return list();
    }

    private List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(PREFIX + "\\d{8}"))
                    .filter(p -> Files.isRegularFile(p.resolve(STATE)))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .collect(Collectors.toList());
        }
    }

    private void prune() throws IOException {
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            deleteAside(all.get(i));
        }
    }

    /**
     * Deletes a checkpoint by first renaming it to a temporary name, so that a process killed
     * midway never leaves a partial checkpoint under a final name.
     */
    private void deleteAside(Path checkpoint) throws IOException {
        if (Files.exists(checkpoint)) {
            Path aside = Files.createTempDirectory(dir, checkpoint.getFileName() + TEMPORARY);
            Files.delete(aside);
            Files.move(checkpoint, aside, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(aside);
        }
    }

    /**
     * Deletes a directory tree, if it exists (see {@link FileUtils#deleteTree}).
     *
     * @param root the directory
     * @throws IOException if something cannot be deleted
     */
    public static void deleteTree(Path root) throws IOException {
        FileUtils.deleteTree(root);
    }
}
