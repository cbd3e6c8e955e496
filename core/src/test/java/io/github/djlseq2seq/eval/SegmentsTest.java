package io.github.djlseq2seq.eval;

import static org.testng.Assert.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;

/** Files split into segments on newlines only, as sacreBLEU reads them. */
public class SegmentsTest {

    @Test
    public void splitsOnNewlineOnly() {
        assertEquals(Segments.split("a\nb\n"), List.of("a", "b"));
        assertEquals(Segments.split("a\nb"), List.of("a", "b"));
        assertEquals(Segments.split("a\n\nb\n"), List.of("a", "", "b"));
        assertEquals(Segments.split(""), List.of());
        assertEquals(Segments.split("\n"), List.of(""));
        // a carriage return is an ordinary character
        assertEquals(Segments.split("x\ry\r\nz\n"), List.of("x\ry\r", "z"));
    }

    @Test
    public void scoresAFileWithWindowsLineEnds() throws IOException {
        Path hyp = Files.createTempFile("hyp", ".txt");
        Path ref1 = Files.createTempFile("ref1", ".txt");
        Path ref2 = Files.createTempFile("ref2", ".txt");
        try {
            Files.writeString(
                    hyp, String.join("\r\n", BleuTest.HYPS) + "\r\n", StandardCharsets.UTF_8);
            Files.writeString(ref1, String.join("\n", BleuTest.REFS.get(0)) + "\n");
            Files.writeString(ref2, String.join("\n", BleuTest.REFS.get(1)));
            BleuScore score =
                    Bleu.builder()
                            .build()
                            .corpusScore(
                                    Segments.read(hyp),
                                    List.of(Segments.read(ref1), Segments.read(ref2)));
            assertEquals(score.formatScore(6), "48.530827");
        } finally {
            Files.delete(hyp);
            Files.delete(ref1);
            Files.delete(ref2);
        }
    }
}
