package io.github.djlseq2seq.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.util.FileUtils;
import io.github.djlseq2seq.zoo.Seq2SeqArtifact;
import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;

/**
 * {@code export --format safetensors} writes model.safetensors in place of the .params file, and
 * {@code translate --model} takes that export, or a bare directory of model.safetensors,
 * config.json and tokenizer.json (as the PyTorch module saves it), translating as the .params
 * export does.
 */
public class SafetensorsCommandTest {

    @Test
    public void safetensorsExportAndBareDirectoryTranslateAsParams() throws Exception {
        Path root = Files.createTempDirectory("safetensors-cli");
        try {
            List<String> texts =
                    List.of(
                            "In the beginning God created the heavens and the earth.",
                            "En el principio crió Dios los cielos y la tierra.");
            BpeTokenizer tokenizer =
                    BpeTokenizer.train(
                            texts, BpeTrainingConfig.builder().optVocabSize(300).build());
            tokenizer.save(root.resolve("tokenizer.json"));
            TransformerConfig config =
                    TransformerConfig.builder()
                            .setSourceVocabSize(tokenizer.size())
                            .setTargetVocabSize(tokenizer.size())
                            .optModelDim(16)
                            .optNumHeads(2)
                            .optEncoderLayers(1)
                            .optDecoderLayers(1)
                            .optFeedForwardDim(32)
                            .optMaxLength(64)
                            .build();
            config.save(root.resolve("config.json"));
            try (Model model = Model.newInstance("seq2seq", Device.cpu())) {
                Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
                block.initialize(
                        model.getNDManager(), DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
                try (OutputStream os = Files.newOutputStream(root.resolve("parameters.params"))) {
                    block.saveParameters(new DataOutputStream(os));
                }
            }
            Path params = export(root, "params");
            Path safetensors = export(root, "safetensors");
            assertTrue(Files.isRegularFile(safetensors.resolve(Seq2SeqArtifact.SAFETENSORS)));
            assertFalse(Files.exists(safetensors.resolve(Seq2SeqArtifact.PARAMETERS)));

            String input = "In the beginning\n\nGod created the earth.\n";
            String expected = translate(input, params)[0];
            assertEquals(expected.split("\n", -1).length, 4, expected);
            assertEquals(translate(input, safetensors)[0], expected);

            Files.delete(safetensors.resolve(Seq2SeqArtifact.SERVING_PROPERTIES));
            FileUtils.deleteTree(safetensors.resolve("model")); // the repository metadata
            assertEquals(translate(input, safetensors)[0], expected);
        } finally {
            FileUtils.deleteTree(root);
        }
    }

    private static Path export(Path root, String format) {
        Path out = root.resolve(format);
        String[] result =
                CliTest.run(
                        0,
                        "export",
                        "--checkpoint",
                        root.resolve("parameters.params").toString(),
                        "--config",
                        root.resolve("config.json").toString(),
                        "--tokenizer",
                        root.resolve("tokenizer.json").toString(),
                        "--beam",
                        "1",
                        "--format",
                        format,
                        "--out",
                        out.toString());
        assertTrue(result[0].contains("exported " + out), result[0]);
        return out;
    }

    private static String[] translate(String input, Path model) {
        InputStream in = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return CliTest.run(0, "translate", "--model", model.toString(), "--beam", "1");
        } finally {
            System.setIn(in);
        }
    }
}
