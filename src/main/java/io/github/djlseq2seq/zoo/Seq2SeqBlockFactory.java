package io.github.djlseq2seq.zoo;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the {@link Seq2SeqTransformer} of an exported model from its {@code config.json}; named in
 * {@code serving.properties} so that DJL's {@code Criteria} can load the model.
 */
public class Seq2SeqBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        Path dir = Files.isDirectory(modelPath) ? modelPath : modelPath.getParent();
        Path config = dir.resolve(Seq2SeqArtifact.CONFIG);
        try {
            return Seq2SeqTransformer.builder().setConfig(TransformerConfig.load(config)).build();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read model configuration " + config, e);
        }
    }
}
