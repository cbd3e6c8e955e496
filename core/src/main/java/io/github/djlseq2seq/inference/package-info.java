/**
 * Decoding a trained {@link io.github.djlseq2seq.model.Seq2SeqTransformer}: greedy and beam search
 * ({@link io.github.djlseq2seq.inference.SequenceDecoder}, configured by {@link
 * io.github.djlseq2seq.inference.DecodingOptions}), batched over sentences, with incremental
 * (key/value-cached) decoding; the decoding block {@link
 * io.github.djlseq2seq.inference.Seq2SeqGenerator} and the DJL translator {@link
 * io.github.djlseq2seq.inference.Seq2SeqTranslator} that runs it through DJL's {@code Predictor};
 * and {@link io.github.djlseq2seq.inference.CorpusTranslation}, which translates a corpus in
 * batches and scores it.
 */
package io.github.djlseq2seq.inference;
