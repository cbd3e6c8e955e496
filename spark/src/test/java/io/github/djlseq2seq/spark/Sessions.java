package io.github.djlseq2seq.spark;

import org.apache.spark.sql.SparkSession;

/** The tests' Spark: local[2], no web UI, on the loopback interface. */
final class Sessions {

    private Sessions() {}

    /**
     * Starts (or returns the running) local[2] session.
     *
     * @return the session; the test class stops it
     */
    static SparkSession local() {
        return SparkSession.builder()
                .appName("djl-seq2seq tests")
                .master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }
}
