package io.github.djlseq2seq.zoo;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.precision.Bf16Support;
import io.github.djlseq2seq.precision.Precision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the {@link Seq2SeqTransformer} of an exported model from its {@code config.json} and loads
 * its parameters; named in {@code serving.properties} and the repository metadata so that DJL's
 * {@code Criteria} can load the model.
 *
 * <p>The parameters ({@value Seq2SeqArtifact#PARAMETERS}, or {@value Seq2SeqArtifact#SAFETENSORS}
 * for a safetensors export or a model made in PyTorch) are loaded here, through {@link
 * ParameterFiles} or {@link SafetensorsFiles}, rather than by DJL (the artifact sets {@code
 * option.hasParameter=false}), because DJL's loader silently skips a file that is not a DJL
 * parameter file and accepts arrays of any shape. Every error is an unchecked exception whose
 * message names the file: {@link UncheckedIOException} when a file is missing or unreadable, {@link
 * IllegalArgumentException} when one is malformed or does not match the configuration.
 *
 * <p>The Criteria argument {@value #PRECISION} ({@code fp32}, the default, or {@code bf16}) sets
 * the precision of the model's matrix products; bf16 falls back to fp32 with a logged note where
 * the model's device has no native bf16 ({@link Bf16Support}).
 */
public class Seq2SeqBlockFactory implements BlockFactory {

    /** The Criteria argument naming the precision of the matrix products. */
    public static final String PRECISION = "precision";

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        Path dir = Files.isDirectory(modelPath) ? modelPath : modelPath.getParent();
        try {
            Precision precision = resolvedPrecision(model, arguments);
            Seq2SeqTransformer block =
                    Seq2SeqTransformer.builder()
                            .setConfig(config(dir))
                            .optPrecision(precision)
                            .build();
            loadParameters(block, model.getNDManager(), dir);
            return block;
        } catch (IOException e) {
            model.close(); // DJL drops the model when the factory fails, without closing it
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (MalformedModelException e) {
            model.close();
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The precision to build a model's block in: the requested one ({@link #precision}), resolved
     * for the model's device (bf16 falls back to fp32 where the device lacks it).
     *
     * @param model the model the block is built for
     * @param arguments the Criteria arguments
     * @return the precision
     * @throws IllegalArgumentException naming a bad value
     */
    static Precision resolvedPrecision(Model model, Map<String, ?> arguments) {
        return Bf16Support.system().resolve(precision(arguments), model.getNDManager().getDevice());
    }

    /**
     * Reads the requested precision from Criteria arguments.
     *
     * @param arguments the arguments; {@value #PRECISION} may be absent (fp32)
     * @return the requested precision
     * @throws IllegalArgumentException naming a bad value
     */
    public static Precision precision(Map<String, ?> arguments) {
        Object value = arguments == null ? null : arguments.get(PRECISION);
        return value == null ? Precision.FP32 : Precision.fromName(value.toString());
    }

    /**
     * Loads the parameters of a model directory into a block: {@value Seq2SeqArtifact#PARAMETERS}
     * through {@link ParameterFiles}, or {@value Seq2SeqArtifact#SAFETENSORS} through {@link
     * SafetensorsFiles}; a directory holding both is refused, since which one is meant is unclear.
     *
     * @param block the block, built from the directory's configuration and not yet loaded
     * @param manager the manager that will own the parameter arrays
     * @param dir the model directory
     * @throws IOException if there is no parameter file, or it cannot be read
     * @throws MalformedModelException if the file does not hold parameters of this configuration
     */
    static void loadParameters(Seq2SeqTransformer block, NDManager manager, Path dir)
            throws IOException, MalformedModelException {
        Path params = dir.resolve(Seq2SeqArtifact.PARAMETERS);
        Path safetensors = dir.resolve(Seq2SeqArtifact.SAFETENSORS);
        if (!Files.exists(safetensors)) {
            ParameterFiles.loadModelParameters(block, manager, params);
        } else if (Files.exists(params)) {
            throw new MalformedModelException(
                    dir
                            + " holds both "
                            + Seq2SeqArtifact.PARAMETERS
                            + " and "
                            + Seq2SeqArtifact.SAFETENSORS
                            + "; keep one of them");
        } else {
            SafetensorsFiles.load(block, manager, safetensors);
        }
    }

    /**
     * Reads the configuration of an exported model.
     *
     * @param dir the model directory
     * @return the configuration
     * @throws UncheckedIOException if the file is missing or unreadable
     * @throws IllegalArgumentException if it is malformed (the message names the file)
     */
    static TransformerConfig config(Path dir) {
        Path file = dir.resolve(Seq2SeqArtifact.CONFIG);
        try {
            return TransformerConfig.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read model configuration " + file, e);
        }
    }
}
