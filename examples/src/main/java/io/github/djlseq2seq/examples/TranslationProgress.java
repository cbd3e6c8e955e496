package io.github.djlseq2seq.examples;

import io.github.djlseq2seq.inference.StreamingTranslation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The progress of {@code translate} on standard error: a line rewritten in place (lines done,
 * lines/s) while standard error is a terminal, else one summary line at the end.
 *
 * <p>Standard error counts as a terminal when {@code /proc/self/fd/2} links to a terminal device
 * ({@code /dev/pts/…}, {@code /dev/tty…}) on Linux, and elsewhere when {@code System.console()} is
 * not null (which in Java 17 also needs standard input and output to be terminals, so there a
 * redirected output gives the summary only; {@code --progress live} forces the live line).
 */
final class TranslationProgress {

    /** When the live line is shown. */
    enum Mode {
        /** A live line when standard error is a terminal, else a summary. */
        auto,
        /** Always a live line, then the summary. */
        live,
        /** Only the summary line. */
        summary,
        /** Nothing. */
        none
    }

    /** The least time between two redraws of the live line, in seconds. */
    private static final double REDRAW_SECONDS = 0.2;

    private final PrintStream err;
    private final boolean live;
    private final boolean summary;
    private double drawn = -REDRAW_SECONDS;

    /**
     * Creates the progress display.
     *
     * @param mode when to show what
     * @param err standard error
     */
    TranslationProgress(Mode mode, PrintStream err) {
        this.err = err;
        live = mode == Mode.live || mode == Mode.auto && stderrIsTerminal();
        summary = mode != Mode.none;
    }

    /**
     * Redraws the live line, at most five times a second.
     *
     * @param lines the lines done
     * @param seconds the time so far
     */
    void update(long lines, double seconds) {
        if (live && seconds - drawn >= REDRAW_SECONDS) {
            drawn = seconds;
            err.print("\rtranslate: " + describe(lines, seconds) + "   ");
            err.flush();
        }
    }

    /**
     * Ends the live line and prints the summary.
     *
     * @param done what the translation did
     */
    void finish(StreamingTranslation.Summary done) {
        if (live) {
            err.print("\r");
        }
        if (summary) {
            err.println(
                    "translate: "
                            + describe(done.lines(), done.seconds())
                            + String.format(Locale.ROOT, " in %.1f s", done.seconds()));
        }
        err.flush();
    }

    private static String describe(long lines, double seconds) {
        return String.format(
                Locale.ROOT, "%,d lines, %.1f lines/s", lines, seconds > 0 ? lines / seconds : 0);
    }

    private static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        if (Files.isSymbolicLink(fd)) {
            try {
                String target = Files.readSymbolicLink(fd).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | SecurityException e) {
                return System.console() != null;
            }
        }
        return System.console() != null;
    }
}
