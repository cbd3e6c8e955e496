/**
 * The command-line application built on the library, {@code java -jar djl-seq2seq-examples.jar
 * SUBCOMMAND} ({@link io.github.djlseq2seq.examples.Cli}): {@code train}, {@code translate}, {@code
 * eval}, {@code bleu}, {@code export} and {@code copy-task}, with the data and pictures that only
 * the application needs — the bundled English→Spanish Bible corpus ({@link
 * io.github.djlseq2seq.examples.BundledCorpus}) and the loss-curve plot ({@link
 * io.github.djlseq2seq.examples.LossCurve}) — and the small program of README's quick start ({@link
 * io.github.djlseq2seq.examples.QuickStart}). It runs on the CPU build of libtorch from Maven
 * Central, the native binary this application chose.
 */
package io.github.djlseq2seq.examples;
