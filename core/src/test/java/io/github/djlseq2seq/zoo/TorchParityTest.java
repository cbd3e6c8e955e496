package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import io.github.djlseq2seq.model.NormPlacement;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.util.FileUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * Parity with torch.nn.Transformer: the weights that the PyTorch module {@code
 * python/djl_seq2seq_torch.py} saved give, loaded into our model, the module's logits on a padded
 * batch within 1e-4; our export of them is the module's file again (names, shapes and bytes, so
 * that {@code load_state_dict(strict=True)} takes it); and export then import gives back every
 * parameter exactly.
 */
public class TorchParityTest {

    private static final double TOLERANCE = 1e-4;

    @DataProvider
    public Object[][] cases() {
        return Arrays.stream(TorchFixtures.CASES)
                .map(c -> new Object[] {c})
                .toArray(Object[][]::new);
    }

    @Test(dataProvider = "cases")
    public void logitsMatchTorchWithPadding(String name) throws Exception {
        TransformerConfig config = TorchFixtures.config(name);
        JsonObject parity = TorchFixtures.parity(name);
        int[][] source = TorchFixtures.ids(parity.getAsJsonArray("sourceIds"));
        int[][] target = TorchFixtures.ids(parity.getAsJsonArray("decoderInputIds"));
        double[] expected = TorchFixtures.logits(parity.getAsJsonArray("logits"));
        assertTrue(
                Arrays.stream(source).anyMatch(row -> row[row.length - 1] == 0)
                        && Arrays.stream(target).anyMatch(row -> row[row.length - 1] == 0),
                "the batch is padded on both sides");
        try (NDManager manager = NDManager.newBaseManager()) {
            Seq2SeqTransformer model = Seq2SeqTransformer.builder().setConfig(config).build();
            SafetensorsFiles.load(
                    model,
                    manager,
                    TorchFixtures.directory(name).resolve(Seq2SeqArtifact.SAFETENSORS));
            float[] actual = TorchFixtures.forward(model, manager, source, target);
            assertEquals(
                    actual.length, source.length * target[0].length * config.targetVocabSize());
            assertEquals(actual.length, expected.length);
            double worst = 0;
            double spread = 0;
            for (int i = 0; i < actual.length; i++) {
                worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
                spread = Math.max(spread, Math.abs(expected[i]));
            }
            assertTrue(spread > 1, "logits of real size, max |logit| " + spread);
            assertTrue(worst < TOLERANCE, name + ": max |ours - torch| = " + worst);
        }
    }

    @Test(dataProvider = "cases")
    public void exportIsTheTorchFileAgain(String name) throws Exception {
        Path dir = TorchFixtures.directory(name);
        Path out = Files.createTempDirectory("torch-parity");
        try (NDManager manager = NDManager.newBaseManager()) {
            Seq2SeqTransformer model =
                    Seq2SeqTransformer.builder().setConfig(TorchFixtures.config(name)).build();
            SafetensorsFiles.load(model, manager, dir.resolve(Seq2SeqArtifact.SAFETENSORS));
            Path file = out.resolve(Seq2SeqArtifact.SAFETENSORS);
            SafetensorsFiles.save(model, file);
            Map<String, NDArray> torch = read(manager, dir.resolve(Seq2SeqArtifact.SAFETENSORS));
            Map<String, NDArray> ours = read(manager, file);
            assertEquals(ours.keySet(), torch.keySet());
            for (Map.Entry<String, NDArray> e : torch.entrySet()) {
                NDArray mine = ours.get(e.getKey());
                assertEquals(mine.getShape(), e.getValue().getShape(), e.getKey());
                assertEquals(mine.getDataType(), DataType.FLOAT32, e.getKey());
                assertEquals(mine.toFloatArray(), e.getValue().toFloatArray(), e.getKey());
            }
        } finally {
            FileUtils.deleteTree(out);
        }
    }

    @DataProvider
    public Object[][] configurations() {
        TransformerConfig.Builder base =
                TransformerConfig.builder()
                        .setSourceVocabSize(17)
                        .setTargetVocabSize(19)
                        .optModelDim(8)
                        .optNumHeads(2)
                        .optEncoderLayers(2)
                        .optDecoderLayers(1)
                        .optFeedForwardDim(12)
                        .optDropout(0f);
        return new Object[][] {
            {base.build()},
            {base.optNormPlacement(NormPlacement.PRE).optTieOutputEmbedding(true).build()},
            {
                base.setTargetVocabSize(17)
                        .optShareEmbeddings(true)
                        .optTieOutputEmbedding(false)
                        .build()
            }
        };
    }

    @Test(dataProvider = "configurations")
    public void exportThenImportGivesEveryParameterBack(TransformerConfig config) throws Exception {
        Path out = Files.createTempDirectory("torch-round-trip");
        try (NDManager manager = NDManager.newBaseManager()) {
            Seq2SeqTransformer exported = Seq2SeqTransformer.builder().setConfig(config).build();
            exported.initialize(manager, DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
            Path file = out.resolve(Seq2SeqArtifact.SAFETENSORS);
            SafetensorsFiles.save(exported, file);
            Seq2SeqTransformer imported = Seq2SeqTransformer.builder().setConfig(config).build();
            SafetensorsFiles.load(imported, manager, file);
            Map<String, Parameter> before = parameters(exported);
            Map<String, Parameter> after = parameters(imported);
            assertEquals(after.keySet(), before.keySet());
            assertEquals(
                    before.size(),
                    TorchLayout.of(exported).stream().mapToInt(t -> t.parts().size()).sum(),
                    "every parameter has a torch name");
            for (Map.Entry<String, Parameter> e : before.entrySet()) {
                NDArray want = e.getValue().getArray();
                NDArray got = after.get(e.getKey()).getArray();
                assertEquals(got.getShape(), want.getShape(), e.getKey());
                assertEquals(got.toFloatArray(), want.toFloatArray(), e.getKey());
                assertTrue(got != want);
            }
        } finally {
            FileUtils.deleteTree(out);
        }
    }

    private static Map<String, Parameter> parameters(Seq2SeqTransformer model) {
        Map<String, Parameter> map = new TreeMap<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            map.put(p.getKey(), p.getValue());
        }
        return map;
    }

    /** A safetensors file's tensors by name, read with DJL's reader. */
    static Map<String, NDArray> read(NDManager manager, Path file) throws IOException {
        Map<String, NDArray> map = new TreeMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (NDArray array : NDList.decode(manager, in)) {
                map.put(array.getName(), array);
            }
        }
        return map;
    }
}
