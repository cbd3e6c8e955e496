package io.github.djlseq2seq.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * File operations used by training (checkpoints) and by model artifacts (export, import, publish):
 * deleting a tree, and putting a finished file or directory in place in one rename, so that no
 * reader ever sees a half-written one under the final name.
 */
public final class FileUtils {

    private FileUtils() {}

    /**
     * Deletes a file or a directory tree, if it exists. Symbolic links are deleted, never followed.
     *
     * @param root the file or directory
     * @throws IOException if something cannot be deleted
     */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.delete(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Moves a finished file or directory to its final name in one atomic rename, first deleting
     * what was there. Both paths must be on the same file system (write {@code from} next to {@code
     * target}).
     *
     * @param from the finished file or directory
     * @param target its final name
     * @throws IOException if the old target cannot be deleted or the rename fails
     */
    public static void replace(Path from, Path target) throws IOException {
        deleteTree(target);
        Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Writes a text file (UTF-8) through a temporary file in the same directory, renamed over the
     * target when complete.
     *
     * @param file the file
     * @param text its new content
     * @throws IOException if writing or renaming fails (the target is then unchanged)
     */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(
                    tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
