package io.github.djlseq2seq.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Thrown when a resumed run is given a value that contradicts the run's own record (its {@code
 * config.json}, {@code tokenizer.json} or {@code training.json}); nothing in the run directory has
 * been written. The message names every conflict with both values.
 */
public final class ResumeConflictException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The conflicts, in the order found. */
    private final transient List<Conflict> conflicts;

    /** The run directory, as given to the training. */
    private final String runDir;

    /**
     * Creates the exception.
     *
     * @param runDir the run directory
     * @param conflicts the conflicts, at least one
     */
    public ResumeConflictException(Object runDir, List<Conflict> conflicts) {
        super(
                "cannot resume "
                        + runDir
                        + ": "
                        + conflicts.stream()
                                .map(Conflict::toString)
                                .collect(Collectors.joining("; ")));
        this.conflicts = List.copyOf(conflicts);
        this.runDir = String.valueOf(runDir);
    }

    /**
     * Returns the run directory.
     *
     * @return the directory, as given to the training
     */
    public String getRunDir() {
        return runDir;
    }

    /**
     * Returns the conflicts.
     *
     * @return the conflicts, in the order found
     */
    public List<Conflict> getConflicts() {
        return conflicts;
    }

    /**
     * One given value that contradicts the recorded one.
     *
     * @param field the setting's name as the record spells it, e.g. {@code modelDim}
     * @param given the value given to this run
     * @param recorded the value the run recorded
     * @param file the record holding it, e.g. {@code config.json}
     */
    public record Conflict(String field, String given, String recorded, String file) {

        /** {@inheritDoc} */
        @Override
        public String toString() {
            return field
                    + " "
                    + given
                    + " contradicts the run's "
                    + file
                    + " ("
                    + field
                    + " "
                    + recorded
                    + ")";
        }
    }

    /** The conflicts between two JSON objects over some keys. */
    static List<Conflict> compare(
            JsonObject given, JsonObject recorded, Collection<String> keys, String file) {
        List<Conflict> found = new ArrayList<>();
        for (String key : keys) {
            JsonElement g = given.get(key);
            JsonElement r = recorded.get(key);
            if (!Objects.equals(g, r)) {
                found.add(new Conflict(key, text(g), text(r), file));
            }
        }
        return found;
    }

    private static String text(JsonElement e) {
        return e == null || e.isJsonNull()
                ? "none"
                : e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }
}
