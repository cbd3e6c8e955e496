package io.github.djlseq2seq.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import io.github.djlseq2seq.train.Checkpoints;
import io.github.djlseq2seq.train.MetricsLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.testng.annotations.Test;

/**
 * SIGINT stops {@code train} in a separate JVM after the current step, with a checkpoint at that
 * step, a resume hint and status 130; {@code --resume} continues from the next step.
 */
public class TrainSignalTest {

    private static final String[] SIZE = {
        "--d-model",
        "32",
        "--heads",
        "2",
        "--ff",
        "64",
        "--layers",
        "1",
        "--vocab-size",
        "300",
        "--log-every",
        "1",
        "--samples",
        "1",
        "--beam",
        "1",
        "--max-minutes",
        "5"
    };

    @Test
    public void sigintCheckpointsTheCurrentStepAndResumeContinues() throws Exception {
        Path dir = Files.createTempDirectory("signal");
        try {
            Path train = head(BundledCorpus.openTrain(), 300, dir.resolve("train.tsv"));
            Path dev = head(BundledCorpus.openDev(), 10, dir.resolve("dev.tsv"));
            Path run = dir.resolve("run");
            Path metrics = run.resolve("metrics.jsonl");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(Cli.class.getName());
            command.addAll(List.of("train", "--out", run.toString()));
            command.addAll(List.of("--train", train.toString(), "--dev", dev.toString()));
            command.addAll(List.of(SIZE));
            command.addAll(List.of("--max-steps", "100000"));
            Process p =
                    new ProcessBuilder(command)
                            .directory(dir.toFile())
                            .redirectError(dir.resolve("stderr.txt").toFile())
                            .redirectOutput(dir.resolve("stdout.txt").toFile())
                            .start();
            int seen = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (seen < 3 && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                seen = lastStep(metrics);
            }
            assertTrue(seen >= 3, "no progress: " + Files.readString(dir.resolve("stderr.txt")));
            int kill =
                    new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
            assertEquals(kill, 0);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running 60 s after SIGINT");
            String out = Files.readString(dir.resolve("stdout.txt"));
            String err = Files.readString(dir.resolve("stderr.txt"));
            assertEquals(p.exitValue(), 130, out + err);
            Matcher hint =
                    Pattern.compile(
                                    "interrupted at step (\\d+); checkpoint written to (\\S+);"
                                            + " resume with: .* train --out "
                                            + Pattern.quote(run.toString())
                                            + " .*--resume")
                            .matcher(out);
            assertTrue(hint.find(), out);
            int step = Integer.parseInt(hint.group(1));
            assertTrue(step >= seen, step + " < " + seen);
            Path checkpoint = Path.of(hint.group(2));
            assertEquals(checkpoint, new Checkpoints(run.resolve("checkpoints"), 1).pathOf(step));
            assertEquals(Checkpoints.readState(checkpoint).step, step);
            assertEquals(lastStep(metrics), step);
            try (Stream<Path> files = Files.list(dir)) {
                assertFalse(
                        files.anyMatch(f -> f.getFileName().toString().startsWith("hs_err")),
                        "a native crash log was written");
            }
            // resume for five more steps (in this JVM): it continues from step + 1
            List<String> resume = new ArrayList<>(command.subList(4, command.size() - 2));
            resume.addAll(List.of("--resume", "--max-steps", String.valueOf(step + 5)));
            String resumed = CliTest.run(0, resume.toArray(String[]::new))[0];
            assertTrue(resumed.contains("at step " + step), resumed);
            List<Integer> steps = new ArrayList<>();
            for (Map<String, Double> e : MetricsLog.read(metrics)) {
                if (e.containsKey("loss")) {
                    steps.add(e.get("step").intValue());
                }
            }
            for (int i = 0; i < steps.size(); i++) {
                assertEquals((int) steps.get(i), i + 1, "logged steps " + steps);
            }
            assertEquals(steps.size(), step + 5);
        } finally {
            Checkpoints.deleteTree(dir);
        }
    }

    /** The last training step logged in a metrics file, 0 when there is none yet. */
    private static int lastStep(Path metrics) throws IOException {
        if (!Files.exists(metrics)) {
            return 0;
        }
        int step = 0;
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
            Matcher m = Pattern.compile("\"step\":(\\d+)").matcher(line);
            if (m.find() && line.contains("\"loss\"")) {
                step = Math.max(step, Integer.parseInt(m.group(1)));
            }
        }
        return step;
    }

    /** Writes the first lines of a gzipped resource to a file. */
    private static Path head(InputStream gz, int lines, Path file) throws IOException {
        try (BufferedReader in =
                        new BufferedReader(
                                new java.io.InputStreamReader(
                                        new GZIPInputStream(gz), StandardCharsets.UTF_8));
                OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < lines; i++) {
                String line = in.readLine();
                if (line == null) {
                    break;
                }
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }
}
