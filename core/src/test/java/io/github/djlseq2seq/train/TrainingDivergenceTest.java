package io.github.djlseq2seq.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.util.PairList;
import io.github.djlseq2seq.data.CopyTaskDataset;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/**
 * A NaN or infinite loss or gradient is caught before the update: training stops with the model and
 * Adam's moments exactly as after the last good step, or skips the batch and continues.
 */
public class TrainingDivergenceTest {

    private static final int VOCAB = 12;

    /** How a {@link FaultyBlock} spoils one training forward pass. */
    private enum Fault {
        /** NaN logits: a NaN loss and NaN gradients. */
        NAN_LOSS,
        /** logits + sqrt(logits − logits): the loss is finite, the gradients NaN (∞ − ∞). */
        NAN_GRADIENT
    }

    /** Wraps a model and spoils its logits at one training forward pass. */
    private static final class FaultyBlock extends AbstractBlock {
        private final Block inner;
        private final int faultyPass;
        private final Fault fault;
        private int passes;

        FaultyBlock(Block inner, int faultyPass, Fault fault) {
            this.inner = addChildBlock("inner", inner);
            this.faultyPass = faultyPass;
            this.fault = fault;
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDArray logits = inner.forward(ps, inputs, training, params).head(); // [B, T, V]
            if (!training || ++passes != faultyPass) {
                return new NDList(logits);
            }
            return new NDList(
                    fault == Fault.NAN_LOSS
                            ? logits.mul(Float.NaN)
                            : logits.add(logits.sub(logits).sqrt()));
        }

        @Override
        protected void initializeChildBlocks(
                NDManager manager, DataType dataType, Shape... inputShapes) {
            inner.initialize(manager, dataType, inputShapes);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inner.getOutputShapes(inputShapes);
        }
    }

    private static Model faultyModel(int faultyPass, Fault fault) {
        TransformerConfig config =
                TransformerConfig.builder()
                        .setSourceVocabSize(VOCAB)
                        .setTargetVocabSize(VOCAB)
                        .optModelDim(32)
                        .optNumHeads(4)
                        .optEncoderLayers(1)
                        .optDecoderLayers(1)
                        .optFeedForwardDim(64)
                        .optDropout(0f)
                        .optMaxLength(16)
                        .build();
        Model model = Model.newInstance("faulty", Device.cpu());
        model.setBlock(
                new FaultyBlock(
                        Seq2SeqTransformer.builder().setConfig(config).build(), faultyPass, fault));
        return model;
    }

    private static ArrayDataset data(NDManager manager) {
        return CopyTaskDataset.build(manager, CopyTaskDataset.sequences(16, 5, VOCAB, 3), 8);
    }

    private static TrainingLoop.Builder loop(Model model, ArrayDataset data, Path dir) {
        return TrainingLoop.builder()
                .setModel(model)
                .setTrainData(data)
                .setOutputDir(dir)
                .setInputShapes(new Shape(1, 8), new Shape(1, 7))
                .optDevices(Device.cpu());
    }

    /** Parameters and Adam moments, as the bytes a checkpoint would hold. */
    private static byte[][] snapshot(Model model, ResumableAdam adam, Path dir) throws IOException {
        Path parameters = dir.resolve("parameters.params");
        Path moments = dir.resolve("moments.ndlist");
        Checkpoints.writeParameters(model.getBlock(), parameters);
        adam.saveMoments(moments);
        return new byte[][] {Files.readAllBytes(parameters), Files.readAllBytes(moments)};
    }

    /**
     * Step 4's loss is NaN: after the exception the parameters and every Adam moment are byte for
     * byte those after step 3 (which differ from those after step 2: training moves them), and the
     * gradients are zero again.
     */
    @Test
    public void aNanLossLeavesTheModelAndMomentsAsAfterTheLastGoodStep() throws Exception {
        Path dir = Files.createTempDirectory("nan-loss");
        try (Model model = faultyModel(4, Fault.NAN_LOSS);
                NDManager manager = NDManager.newBaseManager()) {
            TrainingSettings settings =
                    TrainingSettings.builder().optMaxSteps(10).optWarmupSteps(2).build();
            TrainingLoop loop = loop(model, data(manager), dir).optSettings(settings).build();
            ResumableAdam adam = ResumableAdam.builder().build();
            PaddedCrossEntropyLoss loss = PaddedCrossEntropyLoss.builder().build();
            RunProgress run = new RunProgress(new TrainingState(), settings);
            Map<Integer, byte[][]> afterStep = new HashMap<>();
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(loss)
                            .optOptimizer(adam)
                            .optDevices(new Device[] {Device.cpu()})
                            .addTrainingListeners(
                                    new TrainingListenerAdapter() {
                                        @Override
                                        public void onTrainingBatch(
                                                Trainer trainer, BatchData batchData) {
                                            try {
                                                afterStep.put(
                                                        run.state().step,
                                                        snapshot(model, adam, dir));
                                            } catch (IOException e) {
                                                throw new AssertionError(e);
                                            }
                                        }
                                    });
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 8), new Shape(1, 7));
                TrainingSteps steps = new TrainingSteps(loop, trainer, adam, null, loss, run);
                TrainingDivergedException e =
                        expectThrows(TrainingDivergedException.class, steps::epochs);
                assertTrue(e.getMessage().contains("loss NaN"), e.getMessage());
                assertTrue(e.getMessage().contains("at step 4"), e.getMessage());
                assertTrue(e.getMessage().contains("those after step 3"), e.getMessage());
                assertEquals(run.state().step, 3);
                assertEquals(adam.getStep(), 3);

                byte[][] now = snapshot(model, adam, dir);
                assertEquals(now[0], afterStep.get(3)[0], "parameters");
                assertEquals(now[1], afterStep.get(3)[1], "Adam moments");
                assertFalse(
                        Arrays.equals(afterStep.get(3)[0], afterStep.get(2)[0]),
                        "step 3 moves the parameters");
                assertFalse(
                        Arrays.equals(afterStep.get(3)[1], afterStep.get(2)[1]), "and the moments");
                for (Parameter p : model.getBlock().getParameters().values()) {
                    NDArray g = p.getArray().getGradient();
                    assertEquals(g.abs().max().getFloat(), 0f, p.getName() + "'s gradient");
                    g.close();
                }
            }
        } finally {
            Checkpoints.deleteTree(dir);
        }
    }

    /** A finite loss with a NaN gradient is caught by the gradient norm, and stops by default. */
    @Test
    public void aNanGradientStopsBeforeTheUpdate() throws Exception {
        Path dir = Files.createTempDirectory("nan-gradient");
        try (Model model = faultyModel(3, Fault.NAN_GRADIENT);
                NDManager manager = NDManager.newBaseManager()) {
            TrainingSettings settings =
                    TrainingSettings.builder()
                            .optMaxSteps(10)
                            .optCheckpointEvery(1)
                            .optLogEvery(1)
                            .build();
            TrainingLoop training =
                    loop(model, data(manager), dir).optSettings(settings).optLog(l -> {}).build();
            TrainingDivergedException e =
                    expectThrows(TrainingDivergedException.class, () -> training.run(false));
            assertTrue(e.getMessage().contains("gradient norm NaN at step 3"), e.getMessage());
            assertFalse(e.getMessage().contains("loss NaN"), e.getMessage());
            assertTrue(e.getMessage().contains("step-00000002"), e.getMessage());
            // the model in memory is the one the last checkpoint holds
            Path last = dir.resolve("checkpoints/step-00000002/parameters.params");
            Path now = dir.resolve("now.params");
            Checkpoints.writeParameters(model.getBlock(), now);
            assertEquals(Files.readAllBytes(now), Files.readAllBytes(last));
        } finally {
            Checkpoints.deleteTree(dir);
        }
    }

    /** With skipping allowed, the NaN batch is counted, logged and skipped; training continues. */
    @Test
    public void aSkipPolicyRunSkipsTheBatchAndContinues() throws Exception {
        Path dir = Files.createTempDirectory("skip");
        try (Model model = faultyModel(3, Fault.NAN_LOSS);
                NDManager manager = NDManager.newBaseManager()) {
            TrainingSettings settings =
                    TrainingSettings.builder()
                            .optMaxSteps(6)
                            .optLogEvery(1)
                            .optMaxSkippedBatches(1)
                            .build();
            List<String> log = new ArrayList<>();
            TrainingState state =
                    loop(model, data(manager), dir)
                            .optSettings(settings)
                            .optLog(log::add)
                            .build()
                            .run(false);
            assertEquals(state.step, 6);
            assertEquals(state.skippedBatches, 1);
            assertEquals(state.batchInEpoch + 2 * state.epoch, 7, "batches consumed");
            assertTrue(
                    log.stream().anyMatch(l -> l.startsWith("Skipped a batch: loss NaN")),
                    log.toString());
            Map<Integer, Double> losses = TrainingLoopTest.losses(dir);
            assertEquals(losses.keySet().size(), 6);
            losses.values().forEach(v -> assertTrue(Double.isFinite(v), losses.toString()));
        } finally {
            Checkpoints.deleteTree(dir);
        }
    }
}
