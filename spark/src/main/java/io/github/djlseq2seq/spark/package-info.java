/**
 * Batch translation on Apache Spark: {@link io.github.djlseq2seq.spark.SparkTranslation} adds a
 * translation column to a {@code Dataset<Row>}, loading the exported model once per executor JVM
 * through DJL's {@code Criteria}; {@code spark-translate} ({@link
 * io.github.djlseq2seq.spark.SparkCli}) translates a text file with it.
 */
package io.github.djlseq2seq.spark;
