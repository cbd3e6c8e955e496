package io.github.djlseq2seq.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads parallel text: one sentence pair a line, {@code source<TAB>target} or {@code
 * reference<TAB>source<TAB>target}, UTF-8, plain or gzip-compressed.
 *
 * <p>The rules, all checked, so that a malformed file never yields a wrong pair silently:
 *
 * <ul>
 *   <li>gzip is recognised by its magic bytes ({@code 1f 8b}), whatever the file is called;
 *   <li>the first line fixes the layout (2 or 3 fields); every other line must have as many;
 *   <li>no field may be empty or only whitespace; fields are otherwise kept as they are;
 *   <li>the text must be valid UTF-8 (decoded with {@link CodingErrorAction#REPORT});
 *   <li>a UTF-8 byte order mark at the very start of the file is <b>accepted and stripped</b>; one
 *       at the start of a later line (concatenated files) and a UTF-16 mark are rejected;
 *   <li>lines end with LF; a CRLF line end is <b>accepted</b> (the CR is stripped); a CR anywhere
 *       else is rejected;
 *   <li>control characters are rejected: every C0 control (U+0000–U+001F: NUL, ESC, vertical tab,
 *       form feed…) except TAB, which separates the fields, and DEL (U+007F). None of them belongs
 *       in a sentence, and a tokenizer would turn them into tokens silently; they usually mean a
 *       binary or wrongly converted file. The error names the character and its 1-based column (in
 *       Unicode code points, after a stripped byte order mark) and field. Other characters,
 *       including C1 controls (U+0080–U+009F) and invisible format characters, are kept;
 *   <li>a line longer than {@link #DEFAULT_MAX_LINE_BYTES} bytes (configurable) is rejected, before
 *       it is decoded or held in memory whole;
 *   <li>empty lines are rejected; an empty file (no pair at all) and a missing file are errors.
 * </ul>
 *
 * <p>Every error is a {@link ParallelTextFormatException} naming the file and the 1-based line,
 * except a missing file, which is a {@link NoSuchFileException} naming the path.
 */
public final class ParallelTsvReader {

    /** The default longest line accepted, in bytes (UTF-8, line end excluded): 64 KiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 65_536;

    private static final String LAYOUT = "source<TAB>target or reference<TAB>source<TAB>target";
    private static final String[] NAMES_2 = {"source", "target"};
    private static final String[] NAMES_3 = {"reference", "source", "target"};

    private final String name;
    private final int maxLineBytes;
    private final CharsetDecoder decoder =
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final List<TextPair> pairs = new ArrayList<>();
    private long lineNumber;
    private int fields;

    private ParallelTsvReader(String name, int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        this.name = name;
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Reads all pairs of a file, with the default maximum line length.
     *
     * @param file a {@code .tsv} or {@code .tsv.gz} file
     * @return the pairs, in file order
     * @throws IOException if the file is missing, unreadable or malformed
     */
    public static List<TextPair> read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * Reads all pairs of a file.
     *
     * @param file a {@code .tsv} or {@code .tsv.gz} file
     * @param maxLineBytes the longest line accepted, in bytes
     * @return the pairs, in file order
     * @throws IOException if the file is missing, unreadable or malformed
     */
    public static List<TextPair> read(Path file, int maxLineBytes) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "parallel text file not found");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a parallel text file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), maxLineBytes);
        }
    }

    /**
     * Reads all pairs from a stream (left open), with the default maximum line length.
     *
     * @param in the bytes, plain or gzip-compressed
     * @param name the name used in error messages
     * @return the pairs, in stream order
     * @throws IOException if the stream is unreadable or malformed
     */
    public static List<TextPair> read(InputStream in, String name) throws IOException {
        return read(in, name, DEFAULT_MAX_LINE_BYTES);
    }

    /**
     * Reads all pairs from a stream (left open).
     *
     * @param in the bytes, plain or gzip-compressed
     * @param name the name used in error messages
     * @param maxLineBytes the longest line accepted, in bytes
     * @return the pairs, in stream order
     * @throws IOException if the stream is unreadable or malformed
     */
    public static List<TextPair> read(InputStream in, String name, int maxLineBytes)
            throws IOException {
        ParallelTsvReader reader = new ParallelTsvReader(name, maxLineBytes);
        reader.readLines(decompressIfGzip(in));
        if (reader.pairs.isEmpty()) {
            throw new ParallelTextFormatException(name, 0, "empty file: no sentence pairs");
        }
        return reader.pairs;
    }

    /** Wraps the stream in a gzip decoder when it starts with the gzip magic bytes. */
    private static InputStream decompressIfGzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    /** Splits the bytes on LF and hands each line to {@link #parse}, bounding the line length. */
    private void readLines(InputStream in) throws IOException {
        byte[] chunk = new byte[1 << 16];
        byte[] line = new byte[1024];
        int lineLength = 0;
        int n;
        while ((n = readChunk(in, chunk)) > 0) {
            int start = 0;
            while (start < n) {
                int end = start;
                while (end < n && chunk[end] != '\n') {
                    end++;
                }
                int segment = end - start;
                if (lineLength + segment > maxLineBytes + 4) { // a BOM and a CR may be stripped
                    throw error(
                            lineNumber + 1,
                            "line longer than the maximum of " + maxLineBytes + " bytes");
                }
                if (lineLength + segment > line.length) {
                    line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + segment));
                }
                System.arraycopy(chunk, start, line, lineLength, segment);
                lineLength += segment;
                if (end < n) { // found LF
                    parse(line, lineLength);
                    lineLength = 0;
                }
                start = end + 1;
            }
        }
        boolean onlyBom = lineNumber == 0 && startsWith(line, lineLength, 0xEF, 0xBB, 0xBF);
        if (lineLength > 0 && !(onlyBom && lineLength == 3)) { // last line without LF
            parse(line, lineLength);
        }
    }

    private int readChunk(InputStream in, byte[] chunk) throws IOException {
        try {
            return in.read(chunk);
        } catch (ZipException | EOFException e) {
            throw new ParallelTextFormatException(
                    name,
                    lineNumber + 1,
                    "corrupt or truncated gzip data (" + e.getMessage() + ")",
                    e);
        }
    }

    /** Checks and decodes one line (LF removed) and adds its pair. */
    private void parse(byte[] bytes, int length) throws ParallelTextFormatException {
        lineNumber++;
        int start = 0;
        if (lineNumber == 1) {
            if (startsWith(bytes, length, 0xEF, 0xBB, 0xBF)) {
                start = 3; // UTF-8 byte order mark at the start of the file: stripped
            } else if (startsWith(bytes, length, 0xFF, 0xFE)
                    || startsWith(bytes, length, 0xFE, 0xFF)) {
                throw error(lineNumber, "UTF-16 byte order mark: the file must be UTF-8");
            }
        }
        if (length > start && bytes[length - 1] == '\r') {
            length--; // CRLF line end
        }
        if (length - start > maxLineBytes) {
            throw error(lineNumber, "line longer than the maximum of " + maxLineBytes + " bytes");
        }
        String text = decode(bytes, start, length);
        if (text.isEmpty()) {
            throw error(lineNumber, "empty line");
        }
        if (text.indexOf('\r') >= 0) {
            throw error(lineNumber, "carriage return inside the line (only CRLF ends are allowed)");
        }
        if (text.charAt(0) == '\uFEFF') {
            throw error(lineNumber, "byte order mark at the start of a line (concatenated files?)");
        }
        String[] parts = text.split("\t", -1);
        if (parts.length == 1) {
            throw error(lineNumber, "missing tab: expected " + LAYOUT);
        }
        if (fields == 0) {
            if (parts.length > 3) {
                throw error(
                        lineNumber,
                        "too many fields: " + parts.length + " (expected 2 or 3: " + LAYOUT + ")");
            }
            fields = parts.length;
        } else if (parts.length != fields) {
            throw error(
                    lineNumber,
                    (parts.length > fields ? "too many" : "too few")
                            + " fields: "
                            + parts.length
                            + ", but the first line has "
                            + fields);
        }
        String[] names = fields == 2 ? NAMES_2 : NAMES_3;
        rejectControlCharacters(text, names);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isBlank()) {
                throw error(lineNumber, "empty " + names[i] + " (field " + (i + 1) + ")");
            }
        }
        pairs.add(
                fields == 2
                        ? new TextPair(null, parts[0], parts[1])
                        : new TextPair(parts[0], parts[1], parts[2]));
    }

    /** Rejects C0 controls other than TAB, and DEL (see the class documentation). */
    private void rejectControlCharacters(String text, String[] names)
            throws ParallelTextFormatException {
        int field = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t') {
                field++;
            } else if (c < 0x20 || c == 0x7F) {
                throw error(
                        lineNumber,
                        String.format(
                                "control character U+%04X at column %d (%s, field %d)",
                                (int) c, text.codePointCount(0, i) + 1, names[field], field + 1));
            }
        }
    }

    private String decode(byte[] bytes, int start, int end) throws ParallelTextFormatException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, start, end - start);
        try {
            return decoder.reset().decode(buffer).toString();
        } catch (CharacterCodingException e) {
            int offset = buffer.position() - start + 1;
            throw new ParallelTextFormatException(
                    name, lineNumber, "invalid UTF-8 at byte " + offset + " of the line", e);
        }
    }

    private static boolean startsWith(byte[] bytes, int length, int... prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private ParallelTextFormatException error(long line, String detail) {
        return new ParallelTextFormatException(name, line, detail);
    }
}
