/**
 * Trained models as DJL model artifacts: {@link io.github.djlseq2seq.zoo.ModelExporter} writes a
 * directory or zip that DJL's {@code Criteria} loads through {@link
 * io.github.djlseq2seq.zoo.Seq2SeqBlockFactory} and {@link
 * io.github.djlseq2seq.zoo.Seq2SeqTranslatorFactory}; {@link
 * io.github.djlseq2seq.zoo.ModelImporter} takes in a model from elsewhere safely; {@link
 * io.github.djlseq2seq.zoo.ModelRepository} publishes models in DJL's local repository layout, and
 * {@link io.github.djlseq2seq.zoo.Seq2SeqModelZoo} lists them.
 */
package io.github.djlseq2seq.zoo;
