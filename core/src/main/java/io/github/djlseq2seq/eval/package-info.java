/**
 * Evaluation metrics identical to sacreBLEU 2.x: corpus {@link io.github.djlseq2seq.eval.Bleu} (13a
 * or no tokenization, every smoothing method, several and variable references) and {@link
 * io.github.djlseq2seq.eval.ChrF} (chrF and chrF++), their scores printed as sacreBLEU prints them,
 * and their reproducibility signatures ({@link io.github.djlseq2seq.eval.MetricSignature}).
 *
 * <p>The algorithms are ports of sacreBLEU's (Apache License 2.0); Python's notions of whitespace,
 * lowercasing, characters (code points) and number formatting are followed where Java's differ.
 */
package io.github.djlseq2seq.eval;
