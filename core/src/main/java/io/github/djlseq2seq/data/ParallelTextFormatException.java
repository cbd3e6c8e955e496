package io.github.djlseq2seq.data;

import java.io.IOException;

/** A parallel text file that cannot be read as sentence pairs; names the file and the line. */
public class ParallelTextFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file name or path (part of the serialized form). */
    private final String file;

    /** The 1-based line number, or 0 when the problem is the whole file. */
    private final long line;

    /**
     * Creates an exception whose message reads {@code file:line: detail}.
     *
     * @param file the file name or path
     * @param line the 1-based line number, or 0 when the problem is the whole file
     * @param detail what is wrong
     */
    public ParallelTextFormatException(String file, long line, String detail) {
        super(line > 0 ? file + ":" + line + ": " + detail : file + ": " + detail);
        this.file = file;
        this.line = line;
    }

    /**
     * Creates an exception with a cause, whose message reads {@code file:line: detail}.
     *
     * @param file the file name or path
     * @param line the 1-based line number, or 0 when the problem is the whole file
     * @param detail what is wrong
     * @param cause the underlying exception
     */
    public ParallelTextFormatException(String file, long line, String detail, Throwable cause) {
        this(file, line, detail);
        initCause(cause);
    }

    /**
     * Returns the file name or path.
     *
     * @return the file
     */
    public String getFile() {
        return file;
    }

    /**
     * Returns the 1-based line number, or 0 when the problem concerns the whole file.
     *
     * @return the line number
     */
    public long getLine() {
        return line;
    }
}
