package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.util.FileUtils;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * A safetensors file that does not fit the configuration is refused with an error naming the file
 * and the tensor: a tensor missing, one too many, of another shape or data type, a file cut short
 * or not safetensors at all.
 */
public class SafetensorsFilesTest {

    private static final String CASE = "post-norm";
    private static final String IN_PROJ = "transformer.encoder.layers.1.self_attn.in_proj_weight";

    private Path root;
    private NDManager manager;

    @BeforeClass
    public void setUp() throws IOException {
        root = Files.createTempDirectory("safetensors-bad");
        manager = NDManager.newBaseManager();
    }

    @AfterClass
    public void tearDown() throws IOException {
        manager.close();
        FileUtils.deleteTree(root);
    }

    /** The fixture's tensors, changed, written to a new file. */
    private Path changed(String name, Consumer<Map<String, NDArray>> change) throws IOException {
        Path fixture = TorchFixtures.directory(CASE).resolve(Seq2SeqArtifact.SAFETENSORS);
        Map<String, NDArray> tensors = TorchParityTest.read(manager, fixture);
        change.accept(tensors);
        NDList list = new NDList();
        tensors.forEach(
                (key, array) -> {
                    array.setName(key);
                    list.add(array);
                });
        Path file = root.resolve(name + ".safetensors");
        try (OutputStream os = Files.newOutputStream(file)) {
            list.encode(os, NDList.Encoding.SAFETENSORS);
        }
        return file;
    }

    /** Loads a file into a model of the fixture's configuration; returns the error message. */
    private String refusal(Path file) throws IOException {
        Seq2SeqTransformer model =
                Seq2SeqTransformer.builder().setConfig(TorchFixtures.config(CASE)).build();
        try (NDManager sub = manager.newSubManager()) {
            Exception e =
                    expectThrows(
                            MalformedModelException.class,
                            () -> SafetensorsFiles.load(model, sub, file));
            String message = e.getMessage();
            assertTrue(message.startsWith(file.toString()), message);
            return message;
        }
    }

    @Test
    public void theUnchangedFileLoads() throws Exception {
        Path file = changed("same", tensors -> {});
        Seq2SeqTransformer model =
                Seq2SeqTransformer.builder().setConfig(TorchFixtures.config(CASE)).build();
        try (NDManager sub = manager.newSubManager()) {
            SafetensorsFiles.load(model, sub, file);
            assertTrue(model.isInitialized());
        }
    }

    @Test
    public void missingTensorIsNamed() throws Exception {
        String message = refusal(changed("missing", t -> t.remove("generator.bias")));
        assertTrue(message.contains("missing tensor generator.bias (13)"), message);
    }

    @Test
    public void extraTensorIsNamed() throws Exception {
        String message =
                refusal(
                        changed(
                                "extra",
                                t ->
                                        t.put(
                                                "transformer.encoder.norm.weight",
                                                manager.ones(new ai.djl.ndarray.types.Shape(16)))));
        assertTrue(message.contains("unexpected tensor transformer.encoder.norm.weight"), message);
    }

    @Test
    public void wrongShapeIsNamed() throws Exception {
        String message = refusal(changed("shape", t -> t.put(IN_PROJ, t.get(IN_PROJ).get("0:32"))));
        assertTrue(message.contains("tensor " + IN_PROJ + " has shape (32, 16)"), message);
        assertTrue(message.contains("makes it (48, 16)"), message);
    }

    @Test
    public void wrongDataTypeIsNamed() throws Exception {
        String message =
                refusal(
                        changed(
                                "dtype",
                                t ->
                                        t.put(
                                                IN_PROJ,
                                                t.get(IN_PROJ).toType(DataType.FLOAT16, false))));
        assertTrue(message.contains("tensor " + IN_PROJ + " is F16"), message);
    }

    @Test
    public void truncatedFileIsRefused() throws Exception {
        Path whole = changed("whole", t -> {});
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = root.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 10));
        String message = refusal(cut);
        assertTrue(message.contains("is truncated: tensor "), message);
    }

    @Test
    public void otherFilesAreNotSafetensors() throws Exception {
        Path text = root.resolve("text.safetensors");
        Files.writeString(text, "these are not the parameters you are looking for");
        String message = refusal(text);
        assertTrue(message.contains("is not a safetensors file"), message);
    }

    @Test
    public void missingFileIsNamed() throws Exception {
        Path none = root.resolve("none.safetensors");
        Seq2SeqTransformer model =
                Seq2SeqTransformer.builder().setConfig(TorchFixtures.config(CASE)).build();
        Exception e =
                expectThrows(
                        FileNotFoundException.class,
                        () -> SafetensorsFiles.load(model, manager, none));
        assertTrue(e.getMessage().contains(none.toString()), e.getMessage());
    }
}
