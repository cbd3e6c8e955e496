package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * The parameter layout of {@link MultiHeadAttention}, in one place for every piece of code that
 * maps our parameters to another framework's names or to the older separate layout.
 *
 * <p>Since block version 2 the query, key and value projections are stacked row-wise so that one
 * matrix product computes them (as {@code torch.nn.MultiheadAttention}'s in-projection does). With
 * D the model width and {@code x W^T + b} the projection:
 *
 * <pre>
 *   self-attention (encoder and decoder)       torch.nn.MultiheadAttention
 *     inProjectionWeight [3D, D]  rows Q | K | V   in_proj_weight
 *     inProjectionBias   [3D]                      in_proj_bias
 *     01output_weight    [D, D], 01output_bias [D] out_proj.weight, out_proj.bias
 *
 *   cross-attention (decoder)
 *     queryWeight    [D, D],  queryBias    [D]     in_proj_weight[0:D],  in_proj_bias[0:D]
 *     keyValueWeight [2D, D]  rows K | V           in_proj_weight[D:3D]
 *     keyValueBias   [2D]                          in_proj_bias[D:3D]
 *     01output_weight [D, D], 01output_bias [D]    out_proj.weight, out_proj.bias
 * </pre>
 *
 * <p>Block version 1 (models exported before the fusion) held four {@code Linear} children {@code
 * 01query}, {@code 02key}, {@code 03value}, {@code 04output}, each {@code [D, D]} plus bias; {@link
 * MultiHeadAttention} still reads that layout and stacks it with {@link #stack}.
 */
public final class AttentionLayout {

    /** Self-attention's stacked Q, K, V weight {@code [3D, D]}. */
    public static final String IN_PROJECTION_WEIGHT = "inProjectionWeight";

    /** Self-attention's stacked Q, K, V bias {@code [3D]}. */
    public static final String IN_PROJECTION_BIAS = "inProjectionBias";

    /** Cross-attention's query weight {@code [D, D]}. */
    public static final String QUERY_WEIGHT = "queryWeight";

    /** Cross-attention's query bias {@code [D]}. */
    public static final String QUERY_BIAS = "queryBias";

    /** Cross-attention's stacked K, V weight {@code [2D, D]}. */
    public static final String KEY_VALUE_WEIGHT = "keyValueWeight";

    /** Cross-attention's stacked K, V bias {@code [2D]}. */
    public static final String KEY_VALUE_BIAS = "keyValueBias";

    /**
     * The output projection's child block name (a {@code Linear}, parameters {@code 01output_*}).
     */
    public static final String OUTPUT = "output";

    /** The separate projections of block version 1, in stream order (before {@code output}). */
    public static final List<String> SEPARATE_PROJECTIONS = List.of("query", "key", "value");

    private AttentionLayout() {}

    /** One of the three projections of attention. */
    public enum Projection {
        /** The query projection. */
        QUERY,
        /** The key projection. */
        KEY,
        /** The value projection. */
        VALUE
    }

    /**
     * Returns the parameter holding a projection's weight rows.
     *
     * @param cross whether the block is a cross-attention
     * @param projection the projection
     * @return the direct parameter name, e.g. {@link #IN_PROJECTION_WEIGHT}
     */
    public static String weightName(boolean cross, Projection projection) {
        if (!cross) {
            return IN_PROJECTION_WEIGHT;
        }
        return projection == Projection.QUERY ? QUERY_WEIGHT : KEY_VALUE_WEIGHT;
    }

    /**
     * Returns the parameter holding a projection's bias entries.
     *
     * @param cross whether the block is a cross-attention
     * @param projection the projection
     * @return the direct parameter name, e.g. {@link #IN_PROJECTION_BIAS}
     */
    public static String biasName(boolean cross, Projection projection) {
        if (!cross) {
            return IN_PROJECTION_BIAS;
        }
        return projection == Projection.QUERY ? QUERY_BIAS : KEY_VALUE_BIAS;
    }

    /**
     * Returns the first row of a projection inside its stacked parameter: its D rows of the weight
     * (and D entries of the bias) start there.
     *
     * @param cross whether the block is a cross-attention
     * @param projection the projection
     * @param modelDim the model width D
     * @return the row offset, a multiple of D
     */
    public static int rowOffset(boolean cross, Projection projection, int modelDim) {
        int index = projection.ordinal();
        return (cross ? Math.max(0, index - 1) : index) * modelDim;
    }

    /**
     * Stacks projections row-wise into one in-projection parameter.
     *
     * @param parts weights {@code [D, D]} (or biases {@code [D]}) in Q, K, V order
     * @return the stacked parameter {@code [P·D, D]} (or {@code [P·D]})
     */
    public static NDArray stack(NDList parts) {
        return parts.size() == 1 ? parts.head() : NDArrays.concat(parts, 0);
    }

    /**
     * Splits a stacked in-projection parameter into its projections.
     *
     * @param stacked the parameter {@code [P·D, D]} or {@code [P·D]}
     * @param parts P, the number of stacked projections
     * @return the projections, each {@code [D, D]} or {@code [D]}
     */
    public static NDList unstack(NDArray stacked, int parts) {
        return stacked.split(parts, 0);
    }
}
