package io.github.djlseq2seq.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads hypothesis and reference files, one segment per line, the way sacreBLEU reads them. */
public final class Segments {

    private Segments() {}

    /**
     * Reads a UTF-8 file as segments, splitting on {@code \n} only.
     *
     * <p>sacreBLEU opens files with {@code newline="\n"}: a carriage return inside a line is an
     * ordinary character, and a {@code \r} before {@code \n} stays at the end of its line, where
     * scoring strips it. {@link Files#readAllLines(Path)} would also split on a lone {@code \r} and
     * so misalign the streams. A final line without {@code \n} counts; an empty file has no
     * segments.
     *
     * @param file the file
     * @return its lines, without the {@code \n}
     * @throws IOException if the file cannot be read or is not valid UTF-8
     */
    public static List<String> read(Path file) throws IOException {
        return split(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Splits text into segments as {@link #read(Path)} does.
     *
     * @param text the text
     * @return its lines, without the {@code \n}
     */
    public static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                lines.add(text.substring(start));
                break;
            }
            lines.add(text.substring(start, end));
            start = end + 1;
        }
        return lines;
    }
}
