package io.github.djlseq2seq.data;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/** Good and bad parallel text files: each bad input is rejected naming the file and the line. */
public class ParallelTsvReaderTest {

    private Path dir;

    @BeforeClass
    public void makeDir() throws IOException {
        dir = Files.createTempDirectory("tsv-reader-test");
    }

    @AfterClass
    public void removeDir() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** Reads a file that must fail; checks the exception names the file and the given line. */
    private static ParallelTextFormatException rejected(Path file, long line, String detail) {
        ParallelTextFormatException e =
                expectThrows(ParallelTextFormatException.class, () -> ParallelTsvReader.read(file));
        assertEquals(e.getFile(), file.toString());
        assertEquals(e.getLine(), line, e.getMessage());
        String where = line > 0 ? file + ":" + line + ": " : file + ": ";
        assertTrue(e.getMessage().startsWith(where), e.getMessage());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
        return e;
    }

    @Test
    public void readsTwoAndThreeFieldFiles() throws IOException {
        List<TextPair> two = ParallelTsvReader.read(write("two.tsv", "a b\tc d\ne\tf\n"));
        assertEquals(two, List.of(new TextPair(null, "a b", "c d"), new TextPair(null, "e", "f")));
        List<TextPair> three = ParallelTsvReader.read(write("three.tsv", "Gen 1:1\tx\ty")); // no LF
        assertEquals(three, List.of(new TextPair("Gen 1:1", "x", "y")));
    }

    @Test
    public void detectsGzipByMagicBytesNotByName() throws IOException {
        byte[] text = "één\tuno\n".getBytes(StandardCharsets.UTF_8);
        List<TextPair> expected = List.of(new TextPair(null, "één", "uno"));
        assertEquals(ParallelTsvReader.read(write("packed.tsv", gzip(text))), expected);
        assertEquals(ParallelTsvReader.read(write("plain.tsv.gz", text)), expected);
        assertEquals(ParallelTsvReader.read(write("packed.tsv.gz", gzip(text))), expected);
    }

    @Test
    public void missingTabIsRejected() throws IOException {
        rejected(write("notab.tsv", "a\tb\nno tab here\nc\td\n"), 2, "missing tab");
    }

    @Test
    public void tooManyFieldsAreRejected() throws IOException {
        rejected(write("four.tsv", "r\ta\tb\tc\n"), 1, "too many fields: 4");
        rejected(write("grows.tsv", "a\tb\nc\td\ne\tf\tg\n"), 3, "too many fields: 3");
        rejected(write("shrinks.tsv", "r\ta\tb\nc\td\n"), 2, "too few fields: 2");
    }

    @Test
    public void anEmptySideIsRejected() throws IOException {
        rejected(write("notarget.tsv", "a\tb\nc\t\n"), 2, "empty target (field 2)");
        rejected(write("blanksource.tsv", "r\t  \tb\n"), 1, "empty source (field 2)");
        rejected(write("noref.tsv", "r\ta\tb\n\tc\td\n"), 2, "empty reference (field 1)");
    }

    @Test
    public void invalidUtf8IsRejected() throws IOException {
        byte[] bytes = {'a', '\t', 'b', '\n', 'c', '\t', 'd', (byte) 0xC3, '(', '\n'};
        rejected(write("latin.tsv", bytes), 2, "invalid UTF-8 at byte 4 of the line");
        // the same inside gzip: the line number survives decompression
        rejected(write("latin.tsv.gz", gzip(bytes)), 2, "invalid UTF-8");
    }

    @Test
    public void aByteOrderMarkAtTheStartIsStripped() throws IOException {
        byte[] text = "\uFEFFa\tb\nc\td\n".getBytes(StandardCharsets.UTF_8);
        List<TextPair> pairs = ParallelTsvReader.read(write("bom.tsv", text));
        assertEquals(pairs.get(0), new TextPair(null, "a", "b"));
        assertEquals(pairs.size(), 2);
        // elsewhere it means concatenated files, and a UTF-16 mark means the wrong encoding
        rejected(write("bom2.tsv", "a\tb\n\uFEFFc\td\n"), 2, "byte order mark");
        byte[] utf16 = "\uFEFFa\tb\n".getBytes(StandardCharsets.UTF_16LE);
        rejected(write("utf16.tsv", utf16), 1, "UTF-16");
        // a file holding only a BOM is empty
        rejected(
                write("onlybom.tsv", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}),
                0,
                "empty");
    }

    @Test
    public void crlfLineEndsAreAccepted() throws IOException {
        List<TextPair> pairs = ParallelTsvReader.read(write("crlf.tsv", "r\ta\tb\r\ns\tc\td\r\n"));
        assertEquals(
                pairs, List.of(new TextPair("r", "a", "b"), new TextPair("s", "c", "d"))); // no \r
        // a CR that is not part of a line end is not accepted
        rejected(write("cr.tsv", "a\tb\nc\rx\td\n"), 2, "carriage return");
        rejected(write("oldmac.tsv", "a\tb\rc\td\r"), 1, "carriage return");
    }

    @Test
    public void controlCharactersAreRejectedWithTheirColumn() throws IOException {
        rejected(
                write("nul.tsv", "a\tb\nsixteen chars...\tx\u0000y\n"),
                2,
                "control character U+0000 at column 19 (target, field 2)");
        rejected(write("esc.tsv", "\u001B[31ma\tb\n"), 1, "U+001B at column 1 (source, field 1)");
        rejected(write("vt.tsv", "r\ta\u000Bb\tc\n"), 1, "U+000B at column 4 (source, field 2)");
        rejected(write("ff.tsv", "r\ta\tb\u000C\n"), 1, "U+000C at column 6 (target, field 3)");
        rejected(write("del.tsv", "a\tb\nc\u007F\td\n"), 2, "U+007F at column 2 (source");
        // the column counts characters (code points), not bytes or UTF-16 units
        rejected(write("emoji.tsv", "\uD83D\uDE00\u00E9\u0001\tb\n"), 1, "U+0001 at column 3");
        // inside gzip too, and a stray CR keeps its own message
        rejected(
                write("nul.tsv.gz", gzip(new byte[] {'a', 0, '\t', 'b'})), 1, "U+0000 at column 2");
        rejected(write("cr2.tsv", "a\tb\rc\n"), 1, "carriage return");
    }

    @Test
    public void otherInvisibleCharactersAreKept() throws IOException {
        // C1 controls, no-break and zero-width spaces are text, not control characters
        String text = "a\u0085b\u00A0c\tx\u200By\u009Fz\n";
        assertEquals(
                ParallelTsvReader.read(write("c1.tsv", text)),
                List.of(new TextPair(null, "a\u0085b\u00A0c", "x\u200By\u009Fz")));
    }

    @Test
    public void aHundredThousandCharacterLineIsRejected() throws IOException {
        char[] longText = new char[100_000];
        Arrays.fill(longText, 'x');
        Path file = write("long.tsv", "a\tb\n" + new String(longText) + "\ty\nc\td\n");
        rejected(file, 2, "line longer than the maximum of 65536 bytes");
        // a larger maximum reads it
        List<TextPair> pairs = ParallelTsvReader.read(file, 200_000);
        assertEquals(pairs.get(1).source().length(), 100_000);
        assertEquals(pairs.size(), 3);
    }

    @Test
    public void anEmptyFileIsRejected() throws IOException {
        rejected(write("empty.tsv", new byte[0]), 0, "empty file");
        rejected(write("empty.tsv.gz", gzip(new byte[0])), 0, "empty file");
    }

    @Test
    public void anEmptyLineIsRejected() throws IOException {
        rejected(write("blankline.tsv", "a\tb\n\nc\td\n"), 2, "empty line");
    }

    @Test
    public void aMissingFileIsRejected() {
        Path missing = dir.resolve("no-such-file.tsv.gz");
        NoSuchFileException e =
                expectThrows(NoSuchFileException.class, () -> ParallelTsvReader.read(missing));
        assertEquals(e.getFile(), missing.toString());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    public void truncatedGzipIsRejected() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            text.append("source ").append(i).append("\ttarget ").append(i * 7919).append('\n');
        }
        byte[] packed = gzip(text.toString().getBytes(StandardCharsets.UTF_8));
        Path file = write("cut.tsv.gz", Arrays.copyOf(packed, packed.length / 2));
        ParallelTextFormatException e =
                expectThrows(ParallelTextFormatException.class, () -> ParallelTsvReader.read(file));
        assertTrue(e.getMessage().contains("truncated gzip"), e.getMessage());
        assertTrue(e.getLine() > 1, "line " + e.getLine());
    }

    @Test
    public void twoFieldPairsHaveNoReference() throws IOException {
        assertNull(ParallelTsvReader.read(write("ref.tsv", "a\tb\n")).get(0).reference());
    }
}
