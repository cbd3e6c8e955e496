package io.github.djlseq2seq.inference;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.djlseq2seq.model.RoutedInput;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs several routed decodes (e.g. the groups of a serving batch whose requests asked for
 * different decoding options) in one forward, so that the whole batch runs as DJL's inference step.
 * It keeps each group's outputs for the translator to read; one instance serves one batch.
 *
 * <pre>
 *   inputs:  group g's source ids [B_g, S_g], one array per group
 *   outputs: every group's outputs in group order (ids [B_g, L_g], scores [B_g], …)
 * </pre>
 */
final class GroupedDecoding extends AbstractBlock {

    private static final byte VERSION = 1;

    private final List<RoutedInput> groups;
    private final List<NDList> outputs = new ArrayList<>();

    /**
     * Creates the block for one batch.
     *
     * @param groups each group's decode, as its translator routed it
     */
    GroupedDecoding(List<RoutedInput> groups) {
        super(VERSION);
        this.groups = groups;
    }

    /**
     * Routes the groups' source ids to this block.
     *
     * @return the routed input, for the model's block
     */
    RoutedInput route() {
        NDList all = new NDList();
        groups.forEach(all::addAll);
        return new RoutedInput(this, all);
    }

    /**
     * Returns a group's outputs once the forward has run.
     *
     * @param group the group's index
     * @return its outputs, e.g. ids {@code [B_g, L_g]} and scores {@code [B_g]}
     */
    NDList output(int group) {
        return outputs.get(group);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        outputs.clear();
        NDList all = new NDList();
        for (RoutedInput group : groups) {
            NDList out = group.getBlock().forward(ps, group.getInputs(), training, params);
            outputs.add(out);
            all.addAll(out);
        }
        return all;
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        throw new UnsupportedOperationException("the output shapes are known after decoding");
    }
}
