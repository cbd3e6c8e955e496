/**
 * Decoding a trained {@link io.github.djlseq2seq.model.Seq2SeqTransformer}: greedy and beam search
 * ({@link io.github.djlseq2seq.inference.SequenceDecoder}, configured by {@link
 * io.github.djlseq2seq.inference.DecodingOptions}), batched over sentences, with incremental
 * (key/value-cached) decoding, and a benchmark of the cache ({@link
 * io.github.djlseq2seq.inference.DecodingBenchmark}).
 */
package io.github.djlseq2seq.inference;
