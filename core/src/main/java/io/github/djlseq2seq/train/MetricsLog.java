package io.github.djlseq2seq.train;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.djlseq2seq.util.FileUtils;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of a run as JSON lines, one object per event: {@code {"step": 100, "loss": 4.1,
 * ...}}. Opening it for a resumed run drops the lines written after the checkpoint's step (and a
 * last line cut short by a killed process), so the file always tells one consistent history.
 */
public final class MetricsLog implements Closeable {

    private static final Gson GSON =
            new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create();

    private final Path file;
    private final BufferedWriter writer;

    /**
     * Opens the log, keeping only the entries up to a step.
     *
     * @param file the JSON-lines file
     * @param keepUpToStep entries with a larger step are dropped (0 starts afresh)
     * @throws IOException if the file cannot be read or written
     */
    public MetricsLog(Path file, int keepUpToStep) throws IOException {
        this.file = file;
        StringBuilder kept = new StringBuilder();
        if (keepUpToStep > 0 && Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                // the last line may be cut short by a process killed while writing it
                if (!line.isBlank()
                        && (i < lines.size() - 1 || complete(line))
                        && step(line) <= keepUpToStep) {
                    kept.append(line).append(System.lineSeparator());
                }
            }
        }
        // a process killed during the rewrite leaves the old file or the new one
        FileUtils.writeAtomically(file, kept.toString());
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /**
     * Appends one event.
     *
     * @param values the values, in order; must include "step"
     * @throws IOException if writing fails
     */
    public void write(Map<String, ?> values) throws IOException {
        writer.write(GSON.toJson(values));
        writer.newLine();
        writer.flush();
    }

    /**
     * Reads every event of a metrics file.
     *
     * @param file the file
     * @return the events, in order
     * @throws IOException if it cannot be read
     */
    public static List<Map<String, Double>> read(Path file) throws IOException {
        List<Map<String, Double>> events = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            Map<String, Double> event = new LinkedHashMap<>();
            o.entrySet().forEach(e -> event.put(e.getKey(), e.getValue().getAsDouble()));
            events.add(event);
        }
        return events;
    }

    /**
     * @return the file written
     */
    public Path getFile() {
        return file;
    }

    private static boolean complete(String line) {
        try {
            return JsonParser.parseString(line).getAsJsonObject().has("step");
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int step(String line) {
        return JsonParser.parseString(line).getAsJsonObject().get("step").getAsInt();
    }

    /** {@inheritDoc} */
    @Override
    public void close() throws IOException {
        writer.close();
    }
}
