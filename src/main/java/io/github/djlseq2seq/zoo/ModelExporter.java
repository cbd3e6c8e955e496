package io.github.djlseq2seq.zoo;

import ai.djl.Model;
import io.github.djlseq2seq.data.Seq2SeqTokenizer;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.train.Checkpoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a trained model as a DJL model-zoo directory (see {@link Seq2SeqArtifact}) that stock DJL
 * loads with {@code Criteria.builder().setTypes(String.class, String.class)
 * .optModelPath(dir).optEngine("PyTorch").build().loadModel()}.
 *
 * <p>The directory is written next to its target under a temporary name and renamed into place when
 * complete; an existing target is replaced only when {@code overwrite} is set.
 */
public final class ModelExporter {

    private ModelExporter() {}

    /**
     * Exports a model.
     *
     * @param model a model whose block is an initialised {@link Seq2SeqTransformer}
     * @param source the source tokenizer
     * @param target the target tokenizer (the same object when shared)
     * @param options the default decoding options written to serving.properties
     * @param dir the directory to create
     * @param overwrite whether an existing directory may be replaced
     * @return the directory
     * @throws IOException if writing fails, or the directory exists and overwrite is false
     */
    public static Path export(
            Model model,
            Seq2SeqTokenizer source,
            Seq2SeqTokenizer target,
            DecodingOptions options,
            Path dir,
            boolean overwrite)
            throws IOException {
        Seq2SeqTransformer block = (Seq2SeqTransformer) model.getBlock();
        if (Files.exists(dir) && !overwrite) {
            throw new IOException(dir + " already exists; not overwriting it");
        }
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, dir.getFileName() + ".tmp-");
        try {
            model.setProperty("Epoch", "0");
            model.save(tmp, Seq2SeqArtifact.MODEL_NAME);
            block.getConfig().save(tmp.resolve(Seq2SeqArtifact.CONFIG));
            if (source == target) {
                source.save(tmp.resolve(Seq2SeqArtifact.TOKENIZER));
            } else {
                source.save(tmp.resolve(Seq2SeqArtifact.SOURCE_TOKENIZER));
                target.save(tmp.resolve(Seq2SeqArtifact.TARGET_TOKENIZER));
            }
            Files.writeString(
                    tmp.resolve(Seq2SeqArtifact.SERVING_PROPERTIES),
                    servingProperties(options),
                    StandardCharsets.UTF_8);
            if (Files.exists(dir)) {
                Checkpoints.deleteTree(dir);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException | RuntimeException e) {
            Checkpoints.deleteTree(tmp);
            throw e;
        }
    }

    static String servingProperties(DecodingOptions options) {
        return "# djl-seq2seq model: load with DJL Criteria (String -> String)\n"
                + "engine=PyTorch\n"
                + "option.modelName="
                + Seq2SeqArtifact.MODEL_NAME
                + "\n"
                + "blockFactory="
                + Seq2SeqBlockFactory.class.getName()
                + "\n"
                + "translatorFactory="
                + Seq2SeqTranslatorFactory.class.getName()
                + "\n"
                + "beamSize="
                + options.getBeamSize()
                + "\n"
                + "lengthPenalty="
                + options.getLengthPenalty()
                + "\n"
                + "maxLengthRatio="
                + options.getMaxLengthRatio()
                + "\n"
                + "maxLengthOffset="
                + options.getMaxLengthOffset()
                + "\n";
    }
}
