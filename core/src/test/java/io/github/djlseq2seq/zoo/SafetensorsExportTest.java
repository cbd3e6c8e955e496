package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlseq2seq.util.FileUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.testng.annotations.Test;

/**
 * A safetensors export loads through stock Criteria and through the importer, and a bare directory
 * (model.safetensors, config.json, tokenizer.json, as the PyTorch module leaves it) through {@link
 * SafetensorsModel}; each translates and scores as the model did before export.
 */
public class SafetensorsExportTest {

    @Test
    public void exportLoadsWithCriteriaAndTheImporter() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            List<String> before = f.translate(ExportFixture.INPUTS);
            Path dir = f.export("model", ModelExporter.Format.SAFETENSORS);
            assertTrue(Files.isRegularFile(dir.resolve(Seq2SeqArtifact.SAFETENSORS)));
            assertFalse(Files.exists(dir.resolve(Seq2SeqArtifact.PARAMETERS)));
            Criteria<String, String> criteria =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelPath(dir)
                            .optEngine("PyTorch")
                            .build();
            try (ZooModel<String, String> model = criteria.loadModel()) {
                assertEquals(translate(model), before);
                assertEquals(ExportFixture.logits(model), f.logits());
            }
            Path imported = f.root.resolve("imported");
            ModelImporter.builder().build().importModel(dir, imported);
            assertTrue(Files.isRegularFile(imported.resolve(Seq2SeqArtifact.SAFETENSORS)));
        }
    }

    @Test
    public void bareDirectoryLoadsThroughSafetensorsModel() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            List<String> before = f.translate(ExportFixture.INPUTS);
            Path dir = f.export("model", ModelExporter.Format.SAFETENSORS);
            assertFalse(SafetensorsModel.isModelDirectory(dir), "an export has serving.properties");
            Files.delete(dir.resolve(Seq2SeqArtifact.SERVING_PROPERTIES));
            FileUtils.deleteTree(dir.resolve("model")); // the repository metadata
            assertTrue(SafetensorsModel.isModelDirectory(dir));
            try (ZooModel<String, String> model =
                    SafetensorsModel.criteria(dir).optArgument("beamSize", 1).build().loadModel()) {
                assertEquals(translate(model), before);
                assertEquals(ExportFixture.logits(model), f.logits());
            }
        }
    }

    @Test
    public void bothParameterFilesAreRefused() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            Path dir = f.export("model");
            Path other = f.export("other", ModelExporter.Format.SAFETENSORS);
            Files.copy(
                    other.resolve(Seq2SeqArtifact.SAFETENSORS),
                    dir.resolve(Seq2SeqArtifact.SAFETENSORS));
            Criteria<String, String> criteria =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelPath(dir)
                            .optEngine("PyTorch")
                            .build();
            Exception e = expectThrows(IllegalArgumentException.class, criteria::loadModel);
            assertTrue(e.getMessage().contains("holds both"), e.getMessage());
        }
    }

    private static List<String> translate(ZooModel<String, String> model) throws Exception {
        try (Predictor<String, String> p = model.newPredictor()) {
            return p.batchPredict(ExportFixture.INPUTS);
        }
    }
}
