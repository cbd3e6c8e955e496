/**
 * Decoding a trained {@link io.github.djlseq2seq.model.Seq2SeqTransformer}: greedy and beam search
 * ({@link io.github.djlseq2seq.inference.SequenceDecoder}, configured by {@link
 * io.github.djlseq2seq.inference.DecodingOptions}), batched over sentences, with incremental
 * (key/value-cached) decoding, and {@link io.github.djlseq2seq.inference.Seq2SeqTranslator}, the
 * DJL {@code Translator} from text to text.
 */
package io.github.djlseq2seq.inference;
