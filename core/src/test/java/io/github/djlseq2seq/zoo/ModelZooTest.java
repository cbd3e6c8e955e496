package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Application;
import ai.djl.inference.Predictor;
import ai.djl.repository.MRL;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.DefaultModelZoo;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.testng.annotations.Test;

/** The library's model zoo, and local repositories in DJL's metadata.json layout. */
public class ModelZooTest {

    @Test
    public void publishedModelIsListedAndLoadedByGroupAndArtifactId() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            List<String> before = f.translate(ExportFixture.INPUTS);
            Path repo = f.root.resolve("repo");
            Path version = ModelRepository.publish(f.export("tiny.zip"), repo);
            assertEquals(version, Seq2SeqArtifact.artifactDirectory(repo, "tiny").resolve("1.0.0"));
            assertTrue(Files.isRegularFile(version.resolve(Seq2SeqArtifact.PARAMETERS)));
            assertTrue(Files.isRegularFile(Seq2SeqArtifact.metadataFile(repo, "tiny")));
            assertFalse(
                    Files.exists(version.resolve("model")), "no nested metadata in a repository");

            // registered through META-INF/services, empty until told where to look
            ModelZoo zoo = ModelZoo.getModelZoo(Seq2SeqArtifact.GROUP_ID);
            assertTrue(zoo instanceof Seq2SeqModelZoo, String.valueOf(zoo));
            assertFalse(listed(ModelZoo.listModels()));
            System.setProperty(Seq2SeqModelZoo.LOCATION, repo.toString());
            try {
                assertTrue(listed(ModelZoo.listModels()), ModelZoo.listModels().toString());
                Criteria<String, String> byId =
                        Criteria.builder()
                                .setTypes(String.class, String.class)
                                .optGroupId(Seq2SeqArtifact.GROUP_ID)
                                .optArtifactId("tiny")
                                .build();
                assertEquals(translate(byId), before);
            } finally {
                System.clearProperty(Seq2SeqModelZoo.LOCATION);
            }
            assertFalse(listed(ModelZoo.listModels()));
        }
    }

    @Test
    public void repositoryUrlFindsTheModelByArtifactId() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            List<String> before = f.translate(ExportFixture.INPUTS);
            Path repo = f.root.resolve("repo");
            ModelRepository.publish(f.export("tiny"), repo);
            String url = repo.toUri().toString();

            assertEquals(translate(byArtifactId(repo)), before);
            Criteria<String, String> byDjlGroup =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelUrls(url)
                            .optGroupId(DefaultModelZoo.GROUP_ID)
                            .optArtifactId("tiny")
                            .optEngine("PyTorch")
                            .build();
            assertEquals(translate(byDjlGroup), before);

            Criteria<String, String> byZoo =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelZoo(new Seq2SeqModelZoo(url))
                            .optGroupId(Seq2SeqArtifact.GROUP_ID)
                            .optArtifactId("tiny")
                            .build();
            assertEquals(translate(byZoo), before);

            // optModelUrls makes DJL search its "ai.djl.localmodelzoo" zoo only, and DJL refuses a
            // different groupId next to it; hence optArtifactId alone, or optModelZoo above
            Criteria<String, String> conflict =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelUrls(url)
                            .optGroupId(Seq2SeqArtifact.GROUP_ID)
                            .optArtifactId("tiny")
                            .build();
            ModelNotFoundException e =
                    expectThrows(ModelNotFoundException.class, conflict::loadModel);
            assertTrue(e.getMessage().contains("groupId conflict"), e.getMessage());
        }
    }

    @Test
    public void republishingAVersionKeepsTheOthersNewestFirst() throws Exception {
        try (ExportFixture first = new ExportFixture(1);
                ExportFixture second = new ExportFixture(2)) {
            Path repo = first.root.resolve("repo");
            ModelRepository.publish(first.export("v1"), repo);
            Path v2 =
                    ModelExporter.builder()
                            .setModel(second.model)
                            .setTokenizer(second.tokenizer)
                            .optDecodingOptions(second.options)
                            .optArtifactId("tiny")
                            .optVersion("2.0.0")
                            .build()
                            .export(second.root.resolve("v2"));
            ModelRepository.publish(v2, repo);
            ModelRepository.publish(first.export("v1-again"), repo);
            String metadata = Files.readString(Seq2SeqArtifact.metadataFile(repo, "tiny"));
            int at2 = metadata.indexOf("\"version\": \"2.0.0\"");
            int at1 = metadata.indexOf("\"version\": \"1.0.0\"");
            assertTrue(at2 >= 0 && at1 > at2, metadata);
            assertEquals(metadata.lastIndexOf("\"version\": \"1.0.0\""), at1, "1.0.0 once");

            // the newest version is the one DJL loads
            List<String> expected = second.translate(ExportFixture.INPUTS);
            assertNotEquals(first.translate(ExportFixture.INPUTS), expected);
            assertEquals(translate(byArtifactId(repo)), expected);
        }
    }

    /** The Criteria that finds artifact "tiny" in a repository directory given by its URL. */
    static Criteria<String, String> byArtifactId(Path repo) {
        return Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelUrls(repo.toUri().toString())
                .optArtifactId("tiny")
                .optEngine("PyTorch")
                .build();
    }

    private static boolean listed(Map<Application, List<MRL>> models) {
        return models.getOrDefault(Application.NLP.MACHINE_TRANSLATION, List.of()).stream()
                .anyMatch(
                        m ->
                                Seq2SeqArtifact.GROUP_ID.equals(m.getGroupId())
                                        && "tiny".equals(m.getArtifactId()));
    }

    private static List<String> translate(Criteria<String, String> criteria) throws Exception {
        try (ZooModel<String, String> model = criteria.loadModel();
                Predictor<String, String> p = model.newPredictor()) {
            return p.batchPredict(ExportFixture.INPUTS);
        }
    }
}
