package io.github.djlseq2seq.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;

/** The command line: usage errors, failures without stack traces, and the bleu command. */
public class CliTest {

    /** Runs the CLI, capturing standard output and error. */
    static String[] run(int expectedStatus, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int status = Cli.run(args);
            assertEquals(status, expectedStatus, e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[] {
            o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)
        };
    }

    @Test
    public void badOptionsGiveUsageAndStatusTwo() {
        String err = run(2, "train", "--epochs", "many")[1];
        assertTrue(err.contains("--epochs"), err);
        assertTrue(err.contains("Usage:"), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertTrue(run(2, "train", "--no-such-option")[1].contains("Unknown option"));
        assertTrue(run(2, "translate")[1].contains("--model"));
        assertTrue(run(2, "no-such-command")[1].contains("Unmatched argument"));
    }

    @Test
    public void failuresGiveOneLineAndStatusOne() throws IOException {
        Path missing = Files.createTempDirectory("cli").resolve("missing.tsv");
        String err = run(1, "bleu", "--hyp", missing.toString(), "--ref", missing.toString())[1];
        assertTrue(err.startsWith("error: "), err);
        assertTrue(err.contains("missing.tsv"), err);
        assertFalse(err.contains("\tat "), err);
        err = run(1, "copy-task", "--steps", "0")[1];
        assertTrue(err.contains("--steps"), err);
    }

    @Test
    public void helpListsTheSubcommands() {
        String out = run(0, "--help")[0];
        for (String command : List.of("train", "translate", "eval", "bleu", "copy-task")) {
            assertTrue(out.contains(command), out);
        }
    }

    @Test
    public void bleuReproducesSacreBleuVectors() throws IOException {
        Path dir = Files.createTempDirectory("bleu");
        Path hyp = dir.resolve("hyp.txt");
        Path ref1 = dir.resolve("ref1.txt");
        Path ref2 = dir.resolve("ref2.txt");
        Files.writeString(
                hyp, "The dog bit the man.\nIt wasn't surprising.\nThe man had just bitten him.\n");
        Files.writeString(
                ref1, "The dog bit the man.\nIt was not unexpected.\nThe man bit him first.\n");
        Files.writeString(
                ref2,
                "The dog had bit the man.\nNo one was surprised.\nThe man had bitten the dog.\n");
        String[] refs = {"--ref", ref1.toString(), "--ref", ref2.toString()};
        String score =
                run(
                        0,
                        concat(
                                new String[] {"bleu", "--hyp", hyp.toString(), "-b", "-w", "6"},
                                refs))[0];
        assertEquals(score.trim(), "48.530827");
        score =
                run(
                        0,
                        concat(
                                new String[] {
                                    "bleu", "--hyp", hyp.toString(), "-b", "-w", "6", "-tok", "none"
                                },
                                refs))[0];
        assertEquals(score.trim(), "49.191957");
        String full = run(0, concat(new String[] {"bleu", "--hyp", hyp.toString()}, refs))[0];
        assertTrue(
                full.startsWith(
                        "BLEU|nrefs:2|case:mixed|eff:no|tok:13a|smooth:exp|version:2.0.0 = 48.5 "),
                full);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
