/**
 * Numeric precision of the model's matrix products: {@link
 * io.github.djlseq2seq.precision.Precision} names it, {@link
 * io.github.djlseq2seq.precision.Bf16Support} decides where bfloat16 is worth using, and {@link
 * io.github.djlseq2seq.precision.MatrixProducts} is the one place where the blocks compute a linear
 * map or a batched matrix product. DJL 0.36's NDArray API cannot hold a bfloat16 array (its PyTorch
 * engine aborts the JVM on one), so the bfloat16 products run inside small TorchScript functions
 * ({@link io.github.djlseq2seq.precision.TorchScriptArchive}) that cast their float32 inputs,
 * multiply, and return float32: nothing in bfloat16 ever reaches DJL, and autograd records the
 * casts like any other operator.
 */
package io.github.djlseq2seq.precision;
