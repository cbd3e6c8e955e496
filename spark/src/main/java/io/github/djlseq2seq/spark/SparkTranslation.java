package io.github.djlseq2seq.spark;

import io.github.djlseq2seq.zoo.Seq2SeqTranslatorFactory;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Adds a translation column to a Spark {@code Dataset<Row>}; immutable, made by {@link #builder()}.
 *
 * <pre>
 *   Dataset&lt;Row&gt; translated =
 *           SparkTranslation.builder()
 *                   .setModel("/shared/models/en-es")   // every executor must be able to read it
 *                   .setInputColumn("src")
 *                   .setOutputColumn("translation")
 *                   .optArgument("beamSize", 4)
 *                   .build()
 *                   .transform(sentences);
 * </pre>
 *
 * <p>Each executor JVM loads the exported model once, through DJL's {@code Criteria} (the path a
 * single-JVM program takes), and shares it between its tasks. Each task translates its partition a
 * window of rows at a time, in batches of sentences of similar length, and keeps the rows in their
 * order: the result has the input's rows, partitions and order, with one more column (a null text
 * gives a null translation). The translations equal those of the model's predictor on the same
 * options. The transformation is lazy, as Spark's are: the model is loaded and the text translated
 * when an action runs; in local mode {@link #transform} loads the model at once, so that a bad
 * model fails there.
 */
public final class SparkTranslation {

    private final String model;
    private final String inputColumn;
    private final String outputColumn;
    private final TreeMap<String, String> arguments;
    private final int batchSize;
    private final int window;

    private SparkTranslation(Builder b) {
        model = b.model;
        inputColumn = b.inputColumn;
        outputColumn = b.outputColumn;
        arguments = new TreeMap<>(b.arguments);
        batchSize = b.batchSize;
        window = b.window;
    }

    /**
     * Creates a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the dataset with the translation of the input column in a new last column.
     *
     * @param dataset the rows to translate
     * @return the rows, in order, with the output column added (a string)
     * @throws IllegalArgumentException if the input column is missing or not a string, or the
     *     output column exists already; in local mode also if the model does not exist
     * @throws IllegalStateException in local mode, if the model cannot be loaded
     */
    public Dataset<Row> transform(Dataset<Row> dataset) {
        StructType schema = dataset.schema();
        String[] names = schema.fieldNames();
        int input = Arrays.asList(names).indexOf(inputColumn);
        if (input < 0) {
            throw new IllegalArgumentException(
                    "input column '"
                            + inputColumn
                            + "' not found; the dataset has "
                            + Arrays.toString(names));
        }
        StructField field = schema.fields()[input];
        if (!DataTypes.StringType.equals(field.dataType())) {
            throw new IllegalArgumentException(
                    "input column '"
                            + inputColumn
                            + "' holds "
                            + field.dataType().simpleString()
                            + ", not string");
        }
        if (Arrays.asList(names).contains(outputColumn)) {
            throw new IllegalArgumentException(
                    "output column '" + outputColumn + "' exists already in the dataset");
        }
        if (dataset.sparkSession().sparkContext().isLocal()) {
            // the driver is the executor: load the model now, once, and fail here if it is bad
            ExecutorModels.get(model, arguments);
        }
        StructType out = schema.add(outputColumn, DataTypes.StringType, true);
        return dataset.mapPartitions(
                new PartitionTranslator(model, arguments, input, batchSize, window),
                Encoders.row(out));
    }

    /**
     * Returns the model location.
     *
     * @return a path or URL
     */
    public String getModel() {
        return model;
    }

    /**
     * Returns the Criteria arguments the model is loaded with (the decoding options).
     *
     * @return the arguments, by name, as strings
     */
    public Map<String, String> getArguments() {
        return Map.copyOf(arguments);
    }

    /** Builds a {@link SparkTranslation}: model and columns are required. */
    public static final class Builder {
        private String model;
        private String inputColumn;
        private String outputColumn;
        private final Map<String, String> arguments = new TreeMap<>();
        private int batchSize = 32;
        private int window = 10_000;

        Builder() {}

        /**
         * Sets the exported model: a path (directory or zip) or a URL that every executor can read,
         * e.g. a directory on a shared file system, or {@code model} for an archive shipped with
         * {@code spark-submit --archives model.zip#model}. In local mode a local path.
         *
         * @param location the model location
         * @return this builder
         */
        public Builder setModel(String location) {
            this.model = location;
            return this;
        }

        /**
         * Sets the column that holds the text to translate (a string column).
         *
         * @param column the column name
         * @return this builder
         */
        public Builder setInputColumn(String column) {
            this.inputColumn = column;
            return this;
        }

        /**
         * Sets the name of the column added for the translations.
         *
         * @param column the new column's name
         * @return this builder
         */
        public Builder setOutputColumn(String column) {
            this.outputColumn = column;
            return this;
        }

        /**
         * Sets a Criteria argument of the model, i.e. a decoding option of its translator ({@code
         * beamSize}, {@code lengthPenalty}, {@code maxLengthRatio}, {@code maxLengthOffset}, {@code
         * noRepeatNgramSize}, {@code truncateSource}); options not set keep the model's settings.
         *
         * @param name the argument name
         * @param value its value (sent to the executors as a string)
         * @return this builder
         */
        public Builder optArgument(String name, Object value) {
            arguments.put(name, value.toString());
            return this;
        }

        /**
         * Sets several Criteria arguments, as {@link #optArgument} does for one.
         *
         * @param values the arguments by name
         * @return this builder
         */
        public Builder optArguments(Map<String, ?> values) {
            values.forEach(this::optArgument);
            return this;
        }

        /**
         * Sets the number of sentences decoded together (default 32).
         *
         * @param batchSize the sentences per predictor call, at least 1
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets how many rows of a partition are sorted by length together (default 10,000); a task
         * holds at most this many rows in memory.
         *
         * @param rows the window, at least 1
         * @return this builder
         */
        public Builder optSortWindow(int rows) {
            this.window = rows;
            return this;
        }

        /**
         * Validates the settings and builds the transformation.
         *
         * @return the transformation
         * @throws IllegalArgumentException naming the first missing or bad setting
         */
        public SparkTranslation build() {
            require(model, "setModel");
            require(inputColumn, "setInputColumn");
            require(outputColumn, "setOutputColumn");
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1: " + batchSize);
            }
            if (window < 1) {
                throw new IllegalArgumentException("sort window must be at least 1: " + window);
            }
            // the translator factory parses these on the executors; check them here
            Seq2SeqTranslatorFactory.options(arguments);
            return new SparkTranslation(this);
        }

        private static void require(String value, String setter) {
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("SparkTranslation needs " + setter + "(...)");
            }
        }
    }
}
