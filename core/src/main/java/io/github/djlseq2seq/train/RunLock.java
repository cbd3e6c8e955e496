package io.github.djlseq2seq.train;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process per run directory: an exclusive lock on {@code RUN/.lock}, held for the whole run.
 *
 * <p>Exclusion comes from the operating system's file lock ({@link FileChannel#tryLock()}), which
 * vanishes with the process that held it: a lock file left behind by a process killed with {@code
 * kill -9} holds no lock, so the next run takes it over (and {@link #staleOwner()} says whose it
 * was). The file's text names the owner (process id, host, start time) for the error a second
 * process gets. Within one JVM, where the operating system does not tell two channels apart, a
 * registry of the directories this JVM holds does the excluding.
 *
 * <p>{@link #close()} deletes the lock file, then releases the lock, so a run directory is left as
 * it was found. A process that locked the file just before it was deleted finds out (the path no
 * longer names the file it locked) and tries again.
 *
 * <p>The holding JVM must not open the lock file otherwise: on POSIX systems, closing any
 * descriptor of a file drops every lock the process holds on it.
 */
public final class RunLock implements AutoCloseable {

    /** The lock file's name inside the run directory. */
    public static final String FILE_NAME = ".lock";

    private static final int ATTEMPTS = 5;
    private static final Map<Path, String> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();

    private final Path dir;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final String staleOwner;

    private RunLock(Path dir, Path file, FileChannel channel, FileLock lock, String staleOwner) {
        this.dir = dir;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.staleOwner = staleOwner;
    }

    /**
     * Takes the lock of a run directory, creating the directory if needed; fails at once if another
     * process (or another run in this JVM) holds it.
     *
     * @param runDir the run directory
     * @return the held lock; close it to release
     * @throws RunLockedException if the directory is in use; the message names the owner
     * @throws IOException if the lock file cannot be created, locked or written
     */
    public static RunLock acquire(Path runDir) throws IOException {
        Files.createDirectories(runDir);
        Path dir = runDir.toRealPath();
        Path file = dir.resolve(FILE_NAME);
        String owner = ownerText();
        String previousInJvm = HELD_IN_THIS_JVM.putIfAbsent(dir, owner);
        if (previousInJvm != null) {
            throw locked(runDir, file, previousInJvm);
        }
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                RunLock held = tryOnce(runDir, dir, file, owner);
                if (held != null) {
                    return held;
                }
            }
            throw new IOException(
                    file + " keeps being replaced while it is locked: is another run starting?");
        } catch (IOException | RuntimeException e) {
            HELD_IN_THIS_JVM.remove(dir);
            throw e;
        }
    }

    /** One attempt: null when the locked file was deleted or replaced meanwhile. */
    private static RunLock tryOnce(Path runDir, Path dir, Path file, String owner)
            throws IOException {
        Object before = fileKey(file);
        FileChannel channel =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String text = read(channel);
            channel.close();
            throw locked(runDir, file, text.isBlank() ? readAgain(file) : text);
        }
        // the file locked must still be the one at the path: an owner that released it deleted it
        // first. Compared by file key (no second descriptor: closing one drops the lock)
        Object after = fileKey(file);
        if (before == null || !before.equals(after)) {
            lock.release();
            channel.close();
            return null;
        }
        String previous = read(channel);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(owner.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        return new RunLock(dir, file, channel, lock, previous.isBlank() ? null : previous);
    }

    /**
     * The file's identity (device and inode), a placeholder where there is none, null if absent.
     */
    private static Object fileKey(Path file) throws IOException {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key == null ? file : key;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * The owner recorded in the lock file that this lock took over: a process that ended without
     * releasing it (killed, crashed).
     *
     * @return the stale owner's description (process id, host, start time), if there was one
     */
    public Optional<String> staleOwner() {
        return Optional.ofNullable(staleOwner).map(RunLock::describe);
    }

    /**
     * Deletes the lock file and releases the lock.
     *
     * @throws IOException if the file cannot be deleted or the lock released
     */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            try {
                lock.release();
                channel.close();
            } finally {
                HELD_IN_THIS_JVM.remove(dir);
            }
        }
    }

    private static RunLockedException locked(Path runDir, Path file, String ownerText) {
        return new RunLockedException(
                "run directory "
                        + runDir
                        + " is in use by "
                        + describe(ownerText)
                        + " (lock file "
                        + file
                        + "); wait for it to finish or stop it first");
    }

    /** "process 123 on host h since 2024-…", from the lock file's {@code key=value} lines. */
    private static String describe(String ownerText) {
        String pid = field(ownerText, "pid");
        String host = field(ownerText, "host");
        String started = field(ownerText, "started");
        if (pid == null) {
            return "another process (owner not recorded yet)";
        }
        return "process "
                + pid
                + " on host "
                + (host == null ? "?" : host)
                + (started == null ? "" : " since " + started);
    }

    private static String field(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).strip();
            }
        }
        return null;
    }

    private static String ownerText() {
        return "pid="
                + ProcessHandle.current().pid()
                + "\nhost="
                + hostName()
                + "\nstarted="
                + Instant.now()
                + "\ntoken="
                + UUID.randomUUID()
                + "\n";
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "unknown" : env;
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    private static String readPath(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    /** The owner writes its text right after locking: give it a moment. */
    private static String readAgain(Path file) throws IOException {
        for (int i = 0; i < 10; i++) {
            String text = readPath(file);
            if (!text.isBlank()) {
                return text;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return "";
    }

    /** Thrown when a run directory is locked by another process or another run in this JVM. */
    public static final class RunLockedException extends IOException {

        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message names the directory and its owner
         */
        public RunLockedException(String message) {
            super(message);
        }
    }
}
