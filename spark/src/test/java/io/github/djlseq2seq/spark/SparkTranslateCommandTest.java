package io.github.djlseq2seq.spark;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.github.djlseq2seq.util.FileUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** spark-translate --master local[2] writes what translate prints, line for line. */
public class SparkTranslateCommandTest {

    private Path root;
    private Path model;

    @BeforeClass
    public void export() throws Exception {
        root = Files.createTempDirectory("spark-translate");
        model = TinyModel.export(root.resolve("model"));
    }

    @AfterClass(alwaysRun = true)
    public void delete() throws IOException {
        FileUtils.deleteTree(root);
    }

    /** Runs the Spark CLI on the input, expecting the status; returns standard output and error. */
    private static String[] run(int status, String input, String... args) {
        InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            assertEquals(SparkCli.run(args), status, e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(in);
            System.setOut(out);
            System.setErr(err);
        }
        return new String[] {
            o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)
        };
    }

    /** Runs spark-translate from the input to the output with the model, and more options. */
    private static String[] sparkTranslate(
            int status, Path model, Path input, Path output, String... options) {
        List<String> args = new ArrayList<>();
        args.addAll(
                List.of(
                        "spark-translate",
                        "--model",
                        model.toString(),
                        "--input",
                        input.toString(),
                        "--output",
                        output.toString()));
        args.addAll(List.of(options));
        return run(status, "", args.toArray(String[]::new));
    }

    /** The part files of an output directory, concatenated in name order (`cat DIR/part-*`). */
    private static String concatenated(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> parts =
                    files.filter(f -> f.getFileName().toString().startsWith("part-"))
                            .sorted()
                            .collect(Collectors.toList());
            assertFalse(parts.isEmpty(), "no part files in " + dir);
            StringBuilder text = new StringBuilder();
            for (Path part : parts) {
                text.append(Files.readString(part, StandardCharsets.UTF_8));
            }
            return text.toString();
        }
    }

    @Test
    public void outputEqualsTranslateLineForLine() throws Exception {
        List<String> lines = TinyModel.lines(29);
        String text = String.join("\n", lines) + "\n";
        Path input = Files.writeString(root.resolve("input.txt"), text);
        String expected = run(0, text, "translate", "--model", model.toString(), "--beam", "2")[0];
        assertEquals(expected.split("\n", -1).length, lines.size() + 1, expected);

        Path output = root.resolve("out");
        String[] spark =
                sparkTranslate(
                        0,
                        model,
                        input,
                        output,
                        "--master",
                        "local[2]",
                        "--partitions",
                        "3",
                        "--beam",
                        "2",
                        "--batch",
                        "4");
        assertTrue(spark[1].contains("(3 partitions)"), spark[1]);
        assertTrue(spark[1].contains("cat " + output + "/part-*"), spark[1]);
        try (Stream<Path> files = Files.list(output)) {
            // one file a partition: the order really spans several files
            assertTrue(
                    files.filter(f -> f.getFileName().toString().startsWith("part-")).count() > 1);
        }
        assertEquals(concatenated(output), expected);

        // the same directory again: refused before Spark starts
        String err = sparkTranslate(1, model, input, output)[1];
        assertEquals(err.trim(), "error: output " + output + " exists already");
    }

    @Test
    public void badModelOrInputIsNamed() throws Exception {
        Path input = Files.writeString(root.resolve("one.txt"), "In the beginning\n");
        Path missing = root.resolve("no-model");
        String err =
                sparkTranslate(1, missing, input, root.resolve("o1"), "--master", "local[2]")[1];
        assertEquals(err.trim(), "error: model " + missing + " does not exist");
        Path noInput = root.resolve("no-input.txt");
        err = sparkTranslate(1, model, noInput, root.resolve("o2"))[1];
        assertEquals(err.trim(), "error: input " + noInput + " is not a file");
        err = run(2, "", "spark-translate", "--model", model.toString())[1];
        assertTrue(err.contains("Missing required options: '--input=<input>'"), err);
    }
}
