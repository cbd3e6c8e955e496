/**
 * From text to batches of token ids: tokenizers that save and load HuggingFace's {@code
 * tokenizer.json} ({@link io.github.djlseq2seq.data.BpeTokenizer}, trained in Java with byte
 * fallback, and {@link io.github.djlseq2seq.data.WordLevelTokenizer}, loaded back by {@link
 * io.github.djlseq2seq.data.Tokenizers}), a strict reader of parallel text files that names the
 * file and line of every problem ({@link io.github.djlseq2seq.data.ParallelTsvReader}), and {@link
 * io.github.djlseq2seq.data.ParallelTextDataset}, a DJL dataset whose records are the source {@code
 * [START, x…, END]}, the decoder input {@code [START, y…]} and the target {@code [y…, END]} of the
 * specification (docs/SPEC.md §1), padded on the right with PAD and batched by length ({@link
 * io.github.djlseq2seq.data.BucketingSampler}).
 */
package io.github.djlseq2seq.data;
