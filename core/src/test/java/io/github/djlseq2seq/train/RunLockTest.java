package io.github.djlseq2seq.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testng.annotations.Test;

/** One process per run directory: in this JVM, against a dead owner, and against another JVM. */
public class RunLockTest {

    private static final String PID = "process " + ProcessHandle.current().pid() + " on host ";

    @Test
    public void secondLockInThisJvmFailsNamingTheOwnerUntilTheFirstIsReleased() throws Exception {
        Path dir = Files.createTempDirectory("runlock").resolve("run");
        try (RunLock first = RunLock.acquire(dir)) {
            assertTrue(Files.exists(dir.resolve(RunLock.FILE_NAME)));
            RunLock.RunLockedException e =
                    expectThrows(RunLock.RunLockedException.class, () -> RunLock.acquire(dir));
            assertTrue(e.getMessage().contains(PID), e.getMessage());
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            assertFalse(first.staleOwner().isPresent());
        }
        assertFalse(Files.exists(dir.resolve(RunLock.FILE_NAME)), "released: file deleted");
        try (RunLock again = RunLock.acquire(dir)) {
            assertFalse(again.staleOwner().isPresent());
        }
        Checkpoints.deleteTree(dir.getParent());
    }

    @Test
    public void lockFileOfADeadProcessIsTakenOver() throws Exception {
        Path dir = Files.createTempDirectory("runlock");
        Files.writeString(
                dir.resolve(RunLock.FILE_NAME),
                "pid=2147483646\nhost=elsewhere\nstarted=2020-01-01T00:00:00Z\n");
        try (RunLock lock = RunLock.acquire(dir)) {
            String stale = lock.staleOwner().orElseThrow();
            assertTrue(stale.contains("process 2147483646 on host elsewhere"), stale);
            RunLock.RunLockedException e =
                    expectThrows(RunLock.RunLockedException.class, () -> RunLock.acquire(dir));
            assertTrue(e.getMessage().contains(PID), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve(RunLock.FILE_NAME)));
        Checkpoints.deleteTree(dir);
    }

    @Test
    public void lockHeldByAnotherJvmFailsNamingItsPidAndIsTakenOverAfterItIsKilled()
            throws Exception {
        Path dir = Files.createTempDirectory("runlock");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder =
                new ProcessBuilder(
                                List.of(
                                        java,
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        Holder.class.getName(),
                                        dir.toString()))
                        .redirectErrorStream(true)
                        .start();
        try {
            BufferedReader out =
                    new BufferedReader(
                            new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertEquals(line, "locked", "the holder JVM took the lock");
            long started = System.nanoTime();
            RunLock.RunLockedException e =
                    expectThrows(RunLock.RunLockedException.class, () -> RunLock.acquire(dir));
            assertTrue((System.nanoTime() - started) / 1e9 < 5, "fails within seconds");
            assertTrue(
                    e.getMessage().contains("process " + holder.pid() + " on host "),
                    e.getMessage());
        } finally {
            holder.destroyForcibly(); // kill -9: the lock file stays, the OS lock goes
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(dir.resolve(RunLock.FILE_NAME)), "left behind by the killed JVM");
        try (RunLock lock = RunLock.acquire(dir)) {
            String stale = lock.staleOwner().orElseThrow();
            assertTrue(stale.contains("process " + holder.pid()), stale);
        }
        Checkpoints.deleteTree(dir);
    }

    /** Holds a run directory's lock until killed: {@code Holder DIR}. */
    public static final class Holder {
        private Holder() {}

        /**
         * Takes the lock, prints "locked", and waits.
         *
         * @param args the run directory
         * @throws Exception if the lock cannot be taken
         */
        public static void main(String[] args) throws Exception {
            RunLock lock = RunLock.acquire(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            lock.close();
        }
    }
}
