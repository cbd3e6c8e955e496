/**
 * Speed and memory benchmarks that print figures (never timed unit tests): the training step of the
 * fixed configuration <em>base-cpu</em> ({@link io.github.djlseq2seq.bench.TrainingBenchmark}), the
 * FLOP count it is judged by ({@link io.github.djlseq2seq.bench.TrainingFlops}), the matrix-product
 * rate of the same libtorch ({@link io.github.djlseq2seq.bench.MatmulBenchmark}), resident memory
 * ({@link io.github.djlseq2seq.bench.ResidentMemory}) and the whole report ({@link
 * io.github.djlseq2seq.bench.BenchmarkSuite}); {@link io.github.djlseq2seq.bench.BenchCommand} is
 * the application's one entry point and command line, and {@code bench/run.sh} compares its report
 * with the PyTorch peer.
 */
package io.github.djlseq2seq.bench;
