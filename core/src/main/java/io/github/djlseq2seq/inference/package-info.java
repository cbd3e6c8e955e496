/**
 * Decoding a trained {@link io.github.djlseq2seq.model.Seq2SeqTransformer}: greedy, beam search
 * (with n-best lists) and seeded sampling ({@link io.github.djlseq2seq.inference.SequenceDecoder},
 * configured by {@link io.github.djlseq2seq.inference.DecodingOptions}), with forced target
 * prefixes, batched over sentences, with incremental (key/value-cached) decoding; the decoding
 * block {@link io.github.djlseq2seq.inference.Seq2SeqGenerator} and the DJL translators {@link
 * io.github.djlseq2seq.inference.Seq2SeqTranslator} ({@code String → String}) and {@link
 * io.github.djlseq2seq.inference.Seq2SeqRequestTranslator} ({@code TranslationRequest →
 * TranslationResult}, per-call options) that run it through DJL's {@code Predictor}; and {@link
 * io.github.djlseq2seq.inference.CorpusTranslation}, which translates a corpus in batches and
 * scores it.
 */
package io.github.djlseq2seq.inference;
