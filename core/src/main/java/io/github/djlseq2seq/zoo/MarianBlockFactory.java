package io.github.djlseq2seq.zoo;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.github.djlseq2seq.precision.Precision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * DJL's entry to a Hugging Face MarianMT checkpoint directory: builds the {@link
 * io.github.djlseq2seq.model.Seq2SeqTransformer} from config.json and fills it from
 * model.safetensors (see {@link MarianCheckpoint}), with matrix products in the precision the
 * Criteria argument {@value Seq2SeqBlockFactory#PRECISION} asks for (fp32 by default; bf16 falls
 * back to fp32 where the device lacks it).
 */
public class MarianBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        Path dir = Files.isDirectory(modelPath) ? modelPath : modelPath.getParent();
        try {
            Precision precision = Seq2SeqBlockFactory.resolvedPrecision(model, arguments);
            return MarianCheckpoint.loadBlock(dir, model.getNDManager(), precision);
        } catch (IOException e) {
            model.close(); // DJL drops the model when the factory fails, without closing it
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
