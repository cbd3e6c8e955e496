package io.github.djlseq2seq.spark;

import io.github.djlseq2seq.examples.Cli;

/**
 * The command line of the Spark module: {@code java -jar djl-seq2seq-spark.jar spark-translate
 * ...}, with the examples' commands ({@code translate}, {@code eval}, ...) alongside.
 */
public final class SparkCli {

    /** Spark's log4j 2 configuration for the command line: warnings and errors only. */
    static final String LOG_CONFIGURATION = "io/github/djlseq2seq/spark/log4j2-cli.properties";

    private SparkCli() {}

    /**
     * Runs a subcommand and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs a subcommand; unless set otherwise, logs only Spark's warnings and never lets DJL
     * download anything.
     *
     * @param args the command line
     * @return the exit status: 0 success, 1 failure, 2 usage error
     */
    public static int run(String... args) {
        setDefault("log4j2.configurationFile", LOG_CONFIGURATION);
        setDefault("ai.djl.offline", "true");
        return Cli.run(Cli.commandLine().addSubcommand(new SparkTranslateCommand()), args);
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
