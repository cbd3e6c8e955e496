package io.github.djlseq2seq.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.util.FileUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a {@link Seq2SeqTraining} run was given, besides its tokenizer and model configuration:
 * {@code RUN/training.json}, written when the run starts. A resumed run takes every value it is not
 * given from here.
 *
 * @param trainFile the training file
 * @param devFile the dev file, or null
 * @param vocabSize the requested BPE vocabulary size
 * @param batchTokens the padded tokens per training batch
 * @param settings the training settings
 * @param decoding the exported model's decoding options
 */
public record RunRecord(
        Path trainFile,
        Path devFile,
        int vocabSize,
        int batchTokens,
        TrainingSettings settings,
        DecodingOptions decoding) {

    /** The record's file name inside the run directory. */
    public static final String FILE_NAME = "training.json";

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    /**
     * Reads a run directory's record.
     *
     * @param runDir the run directory
     * @return the record, or empty if the directory has none
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it is malformed; the message names the file
     */
    public static Optional<RunRecord> read(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonObject o =
                    JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            return Optional.of(
                    new RunRecord(
                            Path.of(o.get("trainFile").getAsString()),
                            o.get("devFile").isJsonNull()
                                    ? null
                                    : Path.of(o.get("devFile").getAsString()),
                            o.get("vocabSize").getAsInt(),
                            o.get("batchTokens").getAsInt(),
                            TrainingSettings.fromJson(o.get("settings").toString()),
                            decoding(o.getAsJsonObject("decoding"))));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a run record: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the record to a run directory, through a temporary file renamed over the old one.
     *
     * @param runDir the run directory
     * @throws IOException if it cannot be written
     */
    public void write(Path runDir) throws IOException {
        FileUtils.writeAtomically(runDir.resolve(FILE_NAME), toJson());
    }

    /**
     * Serialises the record as {@link #write} writes it.
     *
     * @return the JSON text
     */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("trainFile", trainFile.toAbsolutePath().toString());
        o.addProperty("devFile", devFile == null ? null : devFile.toAbsolutePath().toString());
        o.addProperty("vocabSize", vocabSize);
        o.addProperty("batchTokens", batchTokens);
        o.add("settings", JsonParser.parseString(settings.toJson()));
        JsonObject d = new JsonObject();
        d.addProperty("beamSize", decoding.getBeamSize());
        d.addProperty("lengthPenalty", decoding.getLengthPenalty());
        d.addProperty("maxLengthRatio", decoding.getMaxLengthRatio());
        d.addProperty("maxLengthOffset", decoding.getMaxLengthOffset());
        d.addProperty("noRepeatNgramSize", decoding.getNoRepeatNgramSize());
        d.addProperty("truncateSource", decoding.isTruncateSource());
        d.addProperty("incremental", decoding.isIncremental());
        o.add("decoding", d);
        return GSON.toJson(o) + "\n";
    }

    private static DecodingOptions decoding(JsonObject d) {
        return DecodingOptions.builder()
                .optBeamSize(get(d, "beamSize").getAsInt())
                .optLengthPenalty(get(d, "lengthPenalty").getAsFloat())
                .optMaxLengthRatio(get(d, "maxLengthRatio").getAsFloat())
                .optMaxLengthOffset(get(d, "maxLengthOffset").getAsInt())
                .optNoRepeatNgramSize(get(d, "noRepeatNgramSize").getAsInt())
                .optTruncateSource(get(d, "truncateSource").getAsBoolean())
                .optIncremental(get(d, "incremental").getAsBoolean())
                .build();
    }

    private static JsonElement get(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("decoding." + key + " is missing");
        }
        return e;
    }
}
