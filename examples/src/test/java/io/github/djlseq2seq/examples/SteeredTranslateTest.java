package io.github.djlseq2seq.examples;

import static io.github.djlseq2seq.examples.TranslateCommandTest.translate;
import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** translate --nbest (TSV), --sample and --prefix / --prefix-file from the command line. */
public class SteeredTranslateTest {

    private static final String INPUT = "In the beginning\n\nGod created the earth.\n";

    private static final Pattern ROW = Pattern.compile("(\\d+)\t(\\d+)\t(-?\\d+\\.\\d{6})\t(.*)");

    private Path dir;

    @BeforeClass
    public void export() throws Exception {
        dir = Files.createTempDirectory("steered").resolve("model");
        TranslateCommandTest.exportTinyModel(dir); // beam 4 in serving.properties
    }

    private String[] run(int status, String input, String... args) {
        List<String> all = new ArrayList<>(List.of("--model", dir.toString()));
        all.addAll(List.of(args));
        return translate(status, input, all.toArray(String[]::new));
    }

    @Test
    public void nBestWritesRankedTsvRows() {
        String[] plain = run(0, INPUT)[0].split("\n", -1);
        String tsv = run(0, INPUT, "--nbest", "3")[0];
        String[] rows = tsv.split("\n");
        assertEquals(rows.length, 6, tsv); // 3 per non-blank line, none for the blank one
        for (int i = 0; i < rows.length; i++) {
            Matcher m = ROW.matcher(rows[i]);
            assertTrue(m.matches(), "row " + i + ": " + rows[i]);
            int line = i < 3 ? 1 : 3;
            assertEquals(Integer.parseInt(m.group(1)), line, rows[i]);
            assertEquals(Integer.parseInt(m.group(2)), i % 3 + 1, rows[i]);
            double score = Double.parseDouble(m.group(3));
            assertTrue(score < 0, rows[i]);
            if (i % 3 > 0) {
                Matcher previous = ROW.matcher(rows[i - 1]);
                assertTrue(previous.matches());
                assertTrue(Double.parseDouble(previous.group(3)) >= score, tsv);
            } else { // rank 1 is the plain translation
                assertEquals(m.group(4), plain[line - 1], tsv);
            }
        }
        // no --beam: the beam grows to the list; a given --beam is checked
        assertEquals(run(0, "In the beginning\n", "--nbest", "6")[0].split("\n").length, 6);
        String err = run(1, INPUT, "--nbest", "5", "--beam", "4")[1];
        assertTrue(err.contains("error: --nbest 5 exceeds --beam 4"), err);
    }

    @Test
    public void samplingIsSeeded() {
        String[] args = {"--sample", "--top-p", "0.9", "--seed", "1"};
        String first = run(0, INPUT, args)[0];
        assertEquals(first.split("\n", -1).length, 4, first); // 3 lines and the final newline
        assertEquals(first.split("\n", -1)[1], "");
        assertEquals(run(0, INPUT, args)[0], first);
        assertNotEquals(run(0, INPUT, "--sample", "--top-p", "0.9", "--seed", "2")[0], first);
        String err = run(1, INPUT, "--sample", "--top-p", "1.5")[1];
        assertTrue(err.contains("--top-p must be in (0, 1], got 1.5"), err);
        err = run(1, INPUT, "--sample", "--temperature=-1")[1];
        assertTrue(err.contains("--temperature must be at least 0, got -1.0"), err);
        err = run(1, INPUT, "--top-p", "0.9")[1];
        assertTrue(err.contains("need --sample"), err);
    }

    @Test
    public void prefixesStartTheTranslations() throws Exception {
        String[] out = run(0, INPUT, "--prefix", "En el principio")[0].split("\n", -1);
        assertTrue(out[0].startsWith("En el principio"), out[0]);
        assertEquals(out[1], "");
        assertTrue(out[2].startsWith("En el principio"), out[2]);

        Path prefixes = dir.resolveSibling("prefixes.txt");
        Files.writeString(prefixes, "Y dijo\n\nDios\n");
        out = run(0, INPUT, "--prefix-file", prefixes.toString())[0].split("\n", -1);
        assertTrue(out[0].startsWith("Y dijo"), out[0]);
        assertTrue(out[2].startsWith("Dios"), out[2]);

        Files.writeString(prefixes, "Y dijo\n");
        String err = run(1, INPUT, "--prefix-file", prefixes.toString())[1];
        assertTrue(err.contains("has 1 lines but the input has 3"), err);
    }
}
