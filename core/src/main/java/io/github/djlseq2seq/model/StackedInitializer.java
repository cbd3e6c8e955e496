package io.github.djlseq2seq.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Initialises a stacked in-projection {@code [P·D, D]} (see {@link AttentionLayout}) as P separate
 * {@code [D, D]} matrices, each with the wrapped initializer, drawn in row order. A fan-based
 * initializer such as Glorot's thus keeps the scale it has for one projection, and a model draws
 * the same numbers as it did with separate Q, K and V blocks.
 */
final class StackedInitializer implements Initializer {

    private final Initializer square;

    StackedInitializer(Initializer square) {
        this.square = square;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long cols = shape.get(1);
        int parts = (int) (shape.get(0) / cols);
        if (shape.dimension() != 2 || parts * cols != shape.get(0)) {
            throw new IllegalArgumentException("not a stack of square matrices: " + shape);
        }
        NDList blocks = new NDList(parts);
        for (int i = 0; i < parts; i++) {
            blocks.add(square.initialize(manager, new Shape(cols, cols), dataType));
        }
        NDArray stacked = AttentionLayout.stack(blocks);
        if (parts > 1) {
            blocks.close();
        }
        return stacked;
    }
}
