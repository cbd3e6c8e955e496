package io.github.djlseq2seq.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.translate;

import io.github.djlseq2seq.examples.DecodingFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Translates a text file on Spark into a directory of part files, one line out per line in, in
 * order: {@code cat DIR/part-*} is the translation.
 */
@Command(
        name = "spark-translate",
        mixinStandardHelpOptions = true,
        description = {
            "Translate a text file (UTF-8, one sentence a line) on Apache Spark.",
            "Writes DIR/part-NNNNN-*.txt, one line per input line; in name order they hold the"
                    + " input's order, so `cat DIR/part-*` is the whole translation (as translate"
                    + " would print it)."
        })
public final class SparkTranslateCommand implements Callable<Integer> {

    /** The column of the input lines. */
    static final String SOURCE = "source";

    /** The column of the translations. */
    static final String TRANSLATION = "translation";

    private static final Pattern LOCAL_MASTER = Pattern.compile("local\\[(\\d+|\\*)(,\\d+)?]");

    @Option(
            names = "--master",
            description =
                    "Spark master, e.g. local[2] (default: spark-submit's, else local[*]); local"
                            + " masters get one libtorch thread per task unless"
                            + " -Dai.djl.pytorch.num_threads says otherwise")
    String master;

    @Option(
            names = "--model",
            required = true,
            description =
                    "an exported model (directory or .zip) or the --out directory of a train run;"
                            + " on a cluster a path or URL every executor can read")
    String model;

    @Option(names = "--input", required = true, description = "the text file (or Hadoop path)")
    String input;

    @Option(
            names = "--output",
            required = true,
            description = "the output directory (must not exist)")
    String output;

    @Option(
            names = "--partitions",
            description = "input partitions, at least (default: Spark's default parallelism)")
    Integer partitions;

    @Mixin DecodingFlags decoding = new DecodingFlags();

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        String sparkMaster = master != null ? master : System.getProperty("spark.master");
        if (sparkMaster == null) {
            sparkMaster = "local[*]";
        }
        String location = modelLocation(model, sparkMaster.startsWith("local"));
        checkInput(input);
        Path out = ExecutorModels.localPath(output);
        if (out != null && Files.exists(out)) {
            throw new IllegalArgumentException("output " + output + " exists already");
        }
        SparkSession.Builder builder = SparkSession.builder().appName("djl-seq2seq translate");
        builder.master(sparkMaster);
        limitThreads(sparkMaster);
        long start = System.nanoTime();
        try (SparkSession spark = builder.getOrCreate()) {
            JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int slices = partitions != null ? partitions : context.defaultParallelism();
            JavaRDD<Row> lines = context.textFile(input, slices).map(RowFactory::create);
            Dataset<Row> sources =
                    spark.createDataFrame(
                            lines, new StructType().add(SOURCE, DataTypes.StringType, false));
            Dataset<Row> translated =
                    SparkTranslation.builder()
                            .setModel(location)
                            .setInputColumn(SOURCE)
                            .setOutputColumn(TRANSLATION)
                            .optArguments(decoding.arguments())
                            .optBatchSize(decoding.batchSize())
                            .build()
                            .transform(sources);
            // a translation never spans lines: one line out per line in
            translated.select(translate(col(TRANSLATION), "\n\r", "  ")).write().text(output);
            System.err.printf(
                    "Translated %s in %.1f s (%d partitions) into %s; the whole text: cat %s/part-*%n",
                    input,
                    (System.nanoTime() - start) / 1e9,
                    lines.getNumPartitions(),
                    output,
                    output);
        } catch (Exception e) {
            throw SparkErrors.clear(e);
        }
        return 0;
    }

    /**
     * The model location to give the executors: for a local path the exported model it names (a
     * {@code train --out} directory names its {@code model/}), as an absolute path. With a
     * cluster's master a path the driver does not see is passed on as it is: it may be where {@code
     * spark-submit --archives} unpacks the model on each executor.
     */
    private static String modelLocation(String model, boolean localMaster) {
        Path path = ExecutorModels.localPath(model);
        if (path == null || (!localMaster && !Files.exists(path))) {
            return model;
        }
        return DecodingFlags.exportedModel(path).toAbsolutePath().toString();
    }

    /** Fails early, with the path, when a local input file is missing or unreadable. */
    private static void checkInput(String input) {
        Path path = ExecutorModels.localPath(input);
        if (path != null && !Files.isRegularFile(path)) {
            throw new IllegalArgumentException("input " + input + " is not a file");
        }
        if (path != null && !Files.isReadable(path)) {
            throw new IllegalArgumentException("input " + input + " cannot be read");
        }
    }

    /**
     * Gives each task of a local master its share of the cores as libtorch threads (one JVM runs
     * all the tasks), unless {@code ai.djl.pytorch.num_threads} is set.
     */
    private static void limitThreads(String sparkMaster) {
        Matcher local = LOCAL_MASTER.matcher(sparkMaster);
        if (System.getProperty("ai.djl.pytorch.num_threads") != null || !local.matches()) {
            return;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int tasks = local.group(1).equals("*") ? cores : Integer.parseInt(local.group(1));
        int threads = Math.max(1, cores / Math.max(1, tasks));
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    }
}
