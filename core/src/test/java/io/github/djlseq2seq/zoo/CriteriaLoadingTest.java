package io.github.djlseq2seq.zoo;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertNotEquals;
import static org.testng.Assert.assertNull;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.Repository;
import ai.djl.repository.SimpleRepository;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.precision.Bf16Support;
import io.github.djlseq2seq.precision.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.testng.annotations.Test;

/** An exported model loads through stock DJL Criteria and translates as before export. */
public class CriteriaLoadingTest {

    @Test
    public void directoryLoadsWithThePlainCriteriaCall() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            List<String> before = f.translate(ExportFixture.INPUTS);
            assertEquals(before.get(1), "");
            assertFalse(before.get(0).isEmpty(), "an untrained model still emits tokens");
            Path dir = f.export("model");
            assertTrue(Files.isRegularFile(Seq2SeqArtifact.metadataFile(dir, "tiny")));
            Criteria<String, String> criteria =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelPath(dir)
                            .optEngine("PyTorch")
                            .build();
            assertEquals(translate(criteria), before);
            // loaded in place: nothing under DJL's cache (InPlaceLoadingTest checks changes)
            assertFalse(Files.exists(f.cacheDir().resolve("cache/repo")), "no copy");
            // serving.properties holds defaults; Criteria arguments override them
            Criteria<String, String> beams =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelPath(dir)
                            .optEngine("PyTorch")
                            .optArgument("beamSize", 3)
                            .build();
            try (ZooModel<String, String> model = beams.loadModel()) {
                Seq2SeqTranslator translator = (Seq2SeqTranslator) model.getTranslator();
                assertEquals(translator.getOptions().getBeamSize(), 3);
            }
        }
    }

    /**
     * The Criteria argument {@code precision} builds the block in it (fp32 without native bf16).
     */
    @Test
    public void precisionArgumentBuildsTheBlockInThatPrecision() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            Path dir = f.export("model");
            Precision expected =
                    Bf16Support.system().supports(Device.cpu()) ? Precision.BF16 : Precision.FP32;
            try (ZooModel<String, String> model = withPrecision(dir, "bf16").loadModel()) {
                Seq2SeqTransformer block = (Seq2SeqTransformer) model.getBlock();
                assertEquals(block.getPrecision(), expected);
            }
            try (ZooModel<String, String> model = plain(dir).loadModel()) {
                assertEquals(
                        ((Seq2SeqTransformer) model.getBlock()).getPrecision(), Precision.FP32);
            }
            Exception e =
                    expectThrows(Exception.class, () -> withPrecision(dir, "fp16").loadModel());
            assertTrue(
                    String.valueOf(rootCause(e).getMessage()).contains("unknown precision 'fp16'"),
                    String.valueOf(rootCause(e)));
        }
    }

    private static Criteria<String, String> withPrecision(Path dir, String precision) {
        return Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(dir)
                .optEngine("PyTorch")
                .optArgument(Seq2SeqBlockFactory.PRECISION, precision)
                .build();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    public void reexportedDirectoryIsNotServedFromTheCacheOfTheOldOne() throws Exception {
        try (ExportFixture first = new ExportFixture(1);
                ExportFixture second = new ExportFixture(2)) {
            List<String> expected = second.translate(ExportFixture.INPUTS);
            assertNotEquals(first.translate(ExportFixture.INPUTS), expected);
            Path dir = second.root.resolve("model");
            ModelExporter.export(
                    first.model, first.tokenizer, first.tokenizer, first.options, dir, false);
            assertEquals(translate(plain(dir)), first.translate(ExportFixture.INPUTS));
            // same path, artifact id and version: read in place, the new files are used
            ModelExporter.export(
                    second.model, second.tokenizer, second.tokenizer, second.options, dir, true);
            assertEquals(translate(plain(dir)), expected);
        }
    }

    @Test
    public void separateVocabulariesLoadAndImport() throws Exception {
        try (ExportFixture f = new ExportFixture();
                Model model = Model.newInstance("seq2seq", Device.cpu())) {
            BpeTrainingConfig bpe = BpeTrainingConfig.builder().optVocabSize(280).build();
            BpeTokenizer english =
                    BpeTokenizer.train(
                            List.of(ExportFixture.TEXTS.get(0), ExportFixture.TEXTS.get(2)), bpe);
            BpeTokenizer spanish =
                    BpeTokenizer.train(
                            List.of(ExportFixture.TEXTS.get(1), ExportFixture.TEXTS.get(3)), bpe);
            TransformerConfig config =
                    TransformerConfig.builder()
                            .setSourceVocabSize(english.size())
                            .setTargetVocabSize(spanish.size())
                            .optModelDim(16)
                            .optNumHeads(2)
                            .optEncoderLayers(1)
                            .optDecoderLayers(1)
                            .optFeedForwardDim(32)
                            .optDropout(0f)
                            .optMaxLength(64)
                            .build();
            Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
            model.setBlock(block);
            block.initialize(
                    model.getNDManager(), DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
            List<String> before;
            try (Predictor<String, String> p =
                    model.newPredictor(new Seq2SeqTranslator(english, spanish, f.options))) {
                before = p.batchPredict(ExportFixture.INPUTS);
            }
            Path zip =
                    ModelExporter.export(
                            model, english, spanish, f.options, f.root.resolve("m.zip"), false);
            Path dir = ModelImporter.builder().build().importModel(zip, f.root.resolve("imported"));
            assertTrue(Files.isRegularFile(dir.resolve(Seq2SeqArtifact.SOURCE_TOKENIZER)));
            assertTrue(Files.isRegularFile(dir.resolve(Seq2SeqArtifact.TARGET_TOKENIZER)));
            assertFalse(Files.exists(dir.resolve(Seq2SeqArtifact.TOKENIZER)));
            assertEquals(translate(plain(dir)), before);
        }
    }

    /** The call. DJL reads the location when the Criteria is built. */
    static Criteria<String, String> plain(Path dir) {
        return Criteria.builder()
                .setTypes(String.class, String.class)
                .optModelPath(dir)
                .optEngine("PyTorch")
                .build();
    }

    @Test
    public void directoryLoadsFromAFileUrl() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            List<String> before = f.translate(ExportFixture.INPUTS);
            Path dir = f.export("model");
            Criteria<String, String> criteria =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelUrls(dir.toUri().toString())
                            .optEngine("PyTorch")
                            .build();
            assertTrue(dir.toUri().toString().startsWith("file:"));
            assertEquals(translate(criteria), before);
        }
    }

    @Test
    public void zipLoadsWithThePlainCriteriaCallFromAPathOrAFileUrl() throws Exception {
        try (ExportFixture f = new ExportFixture()) {
            List<String> before = f.translate(ExportFixture.INPUTS);
            Path zip = f.export("model.zip");
            assertTrue(Files.isRegularFile(zip));
            // DJL alone picks a zip's translator before extracting it; Seq2SeqRepositoryFactory
            // reads the zip's serving.properties in time
            assertTrue(Repository.newInstance("zip", zip) instanceof SimpleRepository);
            assertTrue(Repository.newInstance("dir", f.export("dir")) instanceof SimpleRepository);
            assertEquals(
                    Seq2SeqRepositoryFactory.translatorFactoryInZip(zip),
                    Seq2SeqTranslatorFactory.class.getName());
            Criteria<String, String> path =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelPath(zip)
                            .optEngine("PyTorch")
                            .build();
            assertEquals(translate(path), before);
            Criteria<String, String> url =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelUrls(zip.toUri().toString())
                            .optEngine("PyTorch")
                            .build();
            assertEquals(translate(url), before);
            // the forms DJL alone needs keep working
            Criteria<String, String> deferred =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelPath(zip)
                            .optEngine("PyTorch")
                            .optTranslatorFactory(new DeferredTranslatorFactory())
                            .build();
            assertEquals(translate(deferred), before);
            Criteria<String, String> query =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelUrls(
                                    zip.toUri()
                                            + "?translatorFactory="
                                            + Seq2SeqTranslatorFactory.class.getName())
                            .optEngine("PyTorch")
                            .build();
            assertEquals(translate(query), before);
        }
    }

    @Test
    public void aZipWithoutServingPropertiesStaysAsDjlLeavesIt() throws Exception {
        Path dir = Files.createTempDirectory("plain-zip");
        try {
            Path zip = dir.resolve("other.zip");
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                out.putNextEntry(new ZipEntry("model.pt"));
                out.write(new byte[] {1, 2, 3});
                out.closeEntry();
            }
            assertNull(Seq2SeqRepositoryFactory.translatorFactoryInZip(zip));
            Criteria<String, String> plain =
                    Criteria.builder()
                            .setTypes(String.class, String.class)
                            .optModelPath(zip)
                            .optEngine("PyTorch")
                            .build();
            ModelNotFoundException e = expectThrows(ModelNotFoundException.class, plain::loadModel);
            assertTrue(
                    String.valueOf(e.getCause()).contains("No matching default translator"),
                    String.valueOf(e.getCause()));
            Path notAZip = dir.resolve("broken.zip");
            Files.writeString(notAZip, "not a zip");
            assertNull(Seq2SeqRepositoryFactory.translatorFactoryInZip(notAZip));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static List<String> translate(Criteria<String, String> criteria) throws Exception {
        try (ZooModel<String, String> loaded = criteria.loadModel();
                Predictor<String, String> p = loaded.newPredictor()) {
            assertEquals(
                    p.predict(ExportFixture.INPUTS.get(0)),
                    p.batchPredict(List.of(ExportFixture.INPUTS.get(0))).get(0));
            return p.batchPredict(ExportFixture.INPUTS);
        }
    }
}
