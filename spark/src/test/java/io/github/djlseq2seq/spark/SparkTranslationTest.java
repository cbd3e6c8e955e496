package io.github.djlseq2seq.spark;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertThrows;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import io.github.djlseq2seq.util.FileUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** SparkTranslation on Spark local[2] gives the single-JVM translations, in the input's order. */
public class SparkTranslationTest {

    private static final Map<String, Object> BEAM_2 = Map.of("beamSize", 2);

    private Path root;
    private Path model;
    private SparkSession spark;

    @BeforeClass
    public void start() throws Exception {
        root = Files.createTempDirectory("spark-translation");
        model = TinyModel.export(root.resolve("model"));
        spark = Sessions.local();
    }

    @AfterClass(alwaysRun = true)
    public void stop() throws Exception {
        if (spark != null) {
            spark.stop();
        }
        FileUtils.deleteTree(root);
    }

    /** Rows (id, src) in four partitions, in id order; one src is null. */
    private Dataset<Row> rows(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            rows.add(RowFactory.create(i, i == 5 ? null : lines.get(i)));
        }
        StructType schema =
                new StructType()
                        .add("id", DataTypes.IntegerType, false)
                        .add("src", DataTypes.StringType, true);
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(context.parallelize(rows, 4), schema);
    }

    private SparkTranslation.Builder translation() {
        return SparkTranslation.builder()
                .setModel(model.toString())
                .setInputColumn("src")
                .setOutputColumn("translation");
    }

    @Test
    public void translationsEqualTheSingleJvmOnesInInputOrder() throws Exception {
        List<String> lines = TinyModel.lines(41);
        Dataset<Row> input = rows(lines);
        assertEquals(input.javaRDD().getNumPartitions(), 4);
        int loads = ExecutorModels.loads();
        // windows of 5 rows, batches of 3: many sorted batches in each of the 4 partitions
        Dataset<Row> out =
                translation()
                        .optArguments(BEAM_2)
                        .optBatchSize(3)
                        .optSortWindow(5)
                        .build()
                        .transform(input);
        assertEquals(out.schema().fieldNames(), new String[] {"id", "src", "translation"});
        List<Row> result = out.collectAsList();
        // one model load in this JVM (the driver is the executor), shared by all partitions
        assertEquals(ExecutorModels.loads(), loads + 1);

        List<String> expected = TinyModel.translate(model, BEAM_2, lines);
        assertEquals(result.size(), lines.size());
        for (int i = 0; i < result.size(); i++) {
            Row row = result.get(i);
            assertEquals(row.getInt(0), i, "row order");
            if (i == 5) {
                assertNull(row.get(2), "a null text has a null translation");
            } else {
                assertEquals(row.getString(2), expected.get(i), "line " + i + ": " + lines.get(i));
            }
        }
        // the untrained model's output depends on the input: not one constant translation
        assertTrue(expected.stream().distinct().count() > 10, expected.toString());
        assertEquals(expected.get(3), TinyModel.translate(model, BEAM_2, List.of("")).get(0));

        // the same options again reuse the loaded model; others load their own
        translation().optArguments(BEAM_2).build().transform(input).count();
        assertEquals(ExecutorModels.loads(), loads + 1);
        List<Row> greedy =
                translation().optArgument("beamSize", 1).build().transform(input).collectAsList();
        assertEquals(ExecutorModels.loads(), loads + 2);
        assertEquals(
                greedy.get(0).getString(2),
                TinyModel.translate(model, Map.of("beamSize", 1), lines).get(0));
    }

    @Test
    public void badColumnsAndModelsAreNamed() throws Exception {
        Dataset<Row> input = rows(TinyModel.lines(3));
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> translation().setInputColumn("text").build().transform(input));
        assertEquals(e.getMessage(), "input column 'text' not found; the dataset has [id, src]");
        e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> translation().setInputColumn("id").build().transform(input));
        assertEquals(e.getMessage(), "input column 'id' holds int, not string");
        e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> translation().setOutputColumn("id").build().transform(input));
        assertEquals(e.getMessage(), "output column 'id' exists already in the dataset");

        Path missing = root.resolve("no-such-model");
        e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> translation().setModel(missing.toString()).build().transform(input));
        assertEquals(e.getMessage(), "model " + missing + " does not exist");
        Path notAModel = Files.createDirectories(root.resolve("not-a-model"));
        IllegalStateException load =
                expectThrows(
                        IllegalStateException.class,
                        () ->
                                translation()
                                        .setModel(notAModel.toString())
                                        .build()
                                        .transform(input));
        assertTrue(
                load.getMessage().startsWith("Cannot load model " + notAModel), load.getMessage());

        e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> SparkTranslation.builder().setModel(model.toString()).build());
        assertEquals(e.getMessage(), "SparkTranslation needs setInputColumn(...)");
        assertThrows(
                IllegalArgumentException.class,
                () -> translation().optArgument("beamSize", "many").build());
        assertThrows(IllegalArgumentException.class, () -> translation().optBatchSize(0).build());
    }
}
