/**
 * The Transformer encoder–decoder of "Attention Is All You Need" as DJL blocks: {@link
 * io.github.djlseq2seq.model.Seq2SeqTransformer} (configured by an immutable {@link
 * io.github.djlseq2seq.model.TransformerConfig}) is built from token embeddings with sinusoidal
 * positions, multi-head attention, feed-forward networks and residual connections with LayerNorm
 * placed after (the paper) or before each sub-layer, stacked into encoder and decoder layers, and
 * an output projection that may reuse the target embedding. All attention masks are made in {@link
 * io.github.djlseq2seq.model.Masks}; {@link io.github.djlseq2seq.model.IncrementalState} carries
 * the decoder's key/value cache so that cached decoding and the training pass run the same layer
 * code. Nothing here reads files or knows about tokenizers: blocks take token ids and give logits.
 */
package io.github.djlseq2seq.model;
