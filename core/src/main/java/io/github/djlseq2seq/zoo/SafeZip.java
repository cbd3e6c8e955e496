package io.github.djlseq2seq.zoo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Zip extraction that writes only inside its target: entries are read from the central directory
 * and all checked before the first byte is written (no absolute paths, {@code ..}, backslashes,
 * duplicates or unexpected names; at most {@code maxEntries}; declared sizes within {@code
 * maxBytes}), and while extracting the real sizes are counted, since headers can lie (an entry may
 * not outgrow its declared size, the total may not pass {@code maxBytes}, and an entry past 1 MiB
 * may not expand more than {@code maxRatio} times its compressed size).
 */
final class SafeZip {

    private static final long RATIO_FLOOR = 1 << 20;

    private final long maxBytes;
    private final int maxEntries;
    private final int maxRatio;
    private final Predicate<String> allowedFile;
    private final Predicate<String> allowedDirectory;
    private final String expected;

    /**
     * Creates an extractor.
     *
     * @param maxBytes the most bytes, declared or actual, all entries may expand to
     * @param maxEntries the most entries
     * @param maxRatio how many times its compressed size an entry past 1 MiB may expand
     * @param allowedFile which relative file names may be extracted
     * @param allowedDirectory which relative directory names may be extracted
     * @param expected what the allowed names are, for error messages
     */
    SafeZip(
            long maxBytes,
            int maxEntries,
            int maxRatio,
            Predicate<String> allowedFile,
            Predicate<String> allowedDirectory,
            String expected) {
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
        this.maxRatio = maxRatio;
        this.allowedFile = allowedFile;
        this.allowedDirectory = allowedDirectory;
        this.expected = expected;
    }

    /**
     * Extracts a zip into a directory, checking every entry first.
     *
     * @param zip the zip
     * @param target the directory, inside which everything is written
     * @throws IOException if an entry is unsafe, unexpected or too large; the message names it
     */
    void extract(Path zip, Path target) throws IOException {
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(zf.entries());
            if (entries.size() > maxEntries) {
                throw new IOException(
                        zip + " has " + entries.size() + " entries; the limit is " + maxEntries);
            }
            // first check every entry, so that a bad archive writes nothing
            List<Path> destinations = new ArrayList<>();
            Set<Path> seen = new HashSet<>();
            long declared = 0;
            for (ZipEntry e : entries) {
                Path dest = destination(zip, target, e);
                if (!seen.add(dest)) {
                    throw new IOException(zip + ": duplicate entry " + e.getName());
                }
                destinations.add(dest);
                if (e.getSize() > 0) {
                    declared += e.getSize();
                }
                if (e.getSize() > maxBytes || declared > maxBytes) {
                    throw new IOException(
                            zip
                                    + ": entry "
                                    + e.getName()
                                    + " brings the declared uncompressed size to "
                                    + Math.max(declared, e.getSize())
                                    + " bytes; the limit is "
                                    + maxBytes
                                    + " (a zip bomb?)");
                }
            }
            long total = 0;
            for (int i = 0; i < entries.size(); i++) {
                ZipEntry e = entries.get(i);
                Path dest = destinations.get(i);
                if (e.isDirectory()) {
                    Files.createDirectories(dest);
                    continue;
                }
                Files.createDirectories(dest.getParent());
                try (InputStream in = zf.getInputStream(e);
                        OutputStream out =
                                Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW)) {
                    total = copy(zip, e, in, out, total);
                }
            }
        }
    }

    /** Copies one entry, counting the bytes it really expands to. */
    private long copy(Path zip, ZipEntry e, InputStream in, OutputStream out, long total)
            throws IOException {
        byte[] buf = new byte[1 << 16];
        long written = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            written += n;
            total += n;
            if (e.getSize() >= 0 && written > e.getSize()) {
                throw new IOException(
                        zip
                                + ": entry "
                                + e.getName()
                                + " expands beyond its declared "
                                + e.getSize()
                                + " bytes (a zip bomb?)");
            }
            if (total > maxBytes) {
                throw new IOException(
                        zip
                                + ": entries expand beyond the limit of "
                                + maxBytes
                                + " bytes at "
                                + e.getName()
                                + " (a zip bomb?)");
            }
            if (written > RATIO_FLOOR
                    && written > (double) maxRatio * Math.max(1, e.getCompressedSize())) {
                throw new IOException(
                        zip
                                + ": entry "
                                + e.getName()
                                + " expands more than "
                                + maxRatio
                                + " times its compressed "
                                + e.getCompressedSize()
                                + " bytes (a zip bomb?)");
            }
            out.write(buf, 0, n);
        }
        return total;
    }

    /** Resolves an entry inside the target, refusing anything that could land outside it. */
    private Path destination(Path zip, Path target, ZipEntry e) throws IOException {
        String name = e.getName();
        String file = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        boolean unsafe =
                file.isEmpty()
                        || file.startsWith("/")
                        || file.contains("\\")
                        || file.contains(":")
                        || file.contains("\0")
                        || Stream.of(file.split("/", -1))
                                .anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."));
        Path root = target.toAbsolutePath().normalize();
        Path dest = root.resolve(file).normalize();
        if (unsafe || !dest.startsWith(root) || dest.equals(root)) {
            throw new IOException(
                    zip
                            + ": unsafe entry name "
                            + name
                            + " (it would be written outside the model)");
        }
        if (e.isDirectory() ? !allowedDirectory.test(file) : !allowedFile.test(file)) {
            throw new IOException(zip + ": unexpected entry " + name + "; " + expected);
        }
        return dest;
    }
}
