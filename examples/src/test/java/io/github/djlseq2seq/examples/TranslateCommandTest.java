package io.github.djlseq2seq.examples;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.zoo.ModelExporter;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;

/** translate keeps exactly one line out per line in, in order. */
public class TranslateCommandTest {

    @Test
    public void oneLineOutPerLineIn() throws Exception {
        List<String> texts =
                List.of(
                        "In the beginning God created the heavens and the earth.",
                        "En el principio crió Dios los cielos y la tierra.");
        BpeTokenizer tokenizer =
                BpeTokenizer.train(texts, BpeTrainingConfig.builder().optVocabSize(300).build());
        Path dir = Files.createTempDirectory("translate").resolve("model");
        try (Model model = Model.newInstance("seq2seq", Device.cpu())) {
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
            Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
            model.setBlock(block);
            block.initialize(
                    model.getNDManager(), DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
            ModelExporter.export(
                    model, tokenizer, tokenizer, DecodingOptions.builder().build(), dir, false);
        }
        String input = "In the beginning\n\nGod created\n\n\nthe earth.\n";
        InputStream in = System.in;
        String[] out;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            out = CliTest.run(0, "translate", "--model", dir.toString(), "--batch", "2");
        } finally {
            System.setIn(in);
        }
        String[] lines = out[0].split("\n", -1);
        assertEquals(lines.length, 7, out[0]); // 6 lines and the final newline
        assertEquals(lines[1], "");
        assertEquals(lines[3], "");
        assertEquals(lines[4], "");
        assertFalse(lines[0].isEmpty(), out[0]);
        assertFalse(lines[5].isEmpty(), out[0]);
    }
}
