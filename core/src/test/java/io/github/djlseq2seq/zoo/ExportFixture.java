package io.github.djlseq2seq.zoo;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.translate.TranslateException;
import ai.djl.util.Utils;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.inference.Seq2SeqTranslator;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.util.FileUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A tiny initialised model with a tiny BPE tokenizer, its translations and logits before export,
 * and a scratch directory (which also holds DJL's cache while the fixture is open).
 */
final class ExportFixture implements AutoCloseable {

    static final List<String> TEXTS =
            List.of(
                    "In the beginning God created the heavens and the earth.",
                    "En el principio crió Dios los cielos y la tierra.",
                    "And God said, Let there be light: and there was light.",
                    "Y dijo Dios: Sea la luz: y fué la luz.");

    /** What the tests translate: two sentences and an empty line. */
    static final List<String> INPUTS = List.of(TEXTS.get(0), "", TEXTS.get(2));

    /** The source and decoder-input ids whose logits the tests compare. */
    static final int[][] SOURCE_IDS = RoundTripMain.SOURCE_IDS;

    /** The decoder-input ids whose logits the tests compare. */
    static final int[][] DECODER_IDS = RoundTripMain.DECODER_IDS;

    final Path root;
    final BpeTokenizer tokenizer;
    final TransformerConfig config;
    final DecodingOptions options = DecodingOptions.builder().optBeamSize(1).build();
    final Model model;

    private final String oldCache;
    private final String oldEngineCache;

    ExportFixture() throws IOException {
        this(1);
    }

    ExportFixture(int seed) throws IOException {
        root = Files.createTempDirectory("zoo-test").toRealPath();
        oldCache = System.getProperty("DJL_CACHE_DIR");
        oldEngineCache = System.getProperty("ENGINE_CACHE_DIR");
        // keep libtorch where it is; put repository copies in the scratch directory
        System.setProperty("ENGINE_CACHE_DIR", Utils.getEngineCacheDir().toString());
        System.setProperty("DJL_CACHE_DIR", cacheDir().toString());
        tokenizer =
                BpeTokenizer.train(TEXTS, BpeTrainingConfig.builder().optVocabSize(300).build());
        config = config(tokenizer.size(), 16);
        Engine.getInstance().setRandomSeed(seed);
        model = Model.newInstance("seq2seq", Device.cpu());
        Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
    }

    /** The configuration of the tiny model, for a vocabulary size and a model width. */
    static TransformerConfig config(int vocabSize, int modelDim) {
        return TransformerConfig.builder()
                .setSourceVocabSize(vocabSize)
                .setTargetVocabSize(vocabSize)
                .optModelDim(modelDim)
                .optNumHeads(2)
                .optEncoderLayers(1)
                .optDecoderLayers(1)
                .optFeedForwardDim(32)
                .optDropout(0f)
                .optMaxLength(64)
                .optShareEmbeddings(true)
                .optTieOutputEmbedding(true)
                .build();
    }

    /** Where DJL copies and extracts artifacts while the fixture is open. */
    Path cacheDir() {
        return root.resolve("djl-cache");
    }

    /** Translations by the in-memory model. */
    List<String> translate(List<String> inputs) throws TranslateException {
        try (Predictor<String, String> p =
                model.newPredictor(new Seq2SeqTranslator(tokenizer, tokenizer, options))) {
            return p.batchPredict(inputs);
        }
    }

    /** The flattened logits {@code [2, 3, V]} of {@link #SOURCE_IDS}, {@link #DECODER_IDS}. */
    float[] logits() {
        return logits(model);
    }

    /** The same logits from any model holding a {@link Seq2SeqTransformer}. */
    static float[] logits(Model model) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray source = manager.create(SOURCE_IDS);
            NDArray decoderInput = manager.create(DECODER_IDS);
            return model.getBlock()
                    .forward(
                            new ParameterStore(manager, false),
                            new NDList(source, decoderInput),
                            false)
                    .head()
                    .toFloatArray();
        }
    }

    /** Exports the model under the scratch directory. */
    Path export(String name) throws IOException {
        return export(name, ModelExporter.Format.PARAMS);
    }

    /** Exports the model under the scratch directory, with its parameters in a given format. */
    Path export(String name, ModelExporter.Format format) throws IOException {
        return ModelExporter.builder()
                .setModel(model)
                .setTokenizer(tokenizer)
                .optDecodingOptions(options)
                .optArtifactId("tiny")
                .optFormat(format)
                .build()
                .export(root.resolve(name));
    }

    @Override
    public void close() throws IOException {
        model.close();
        restore("DJL_CACHE_DIR", oldCache);
        restore("ENGINE_CACHE_DIR", oldEngineCache);
        FileUtils.deleteTree(root);
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
