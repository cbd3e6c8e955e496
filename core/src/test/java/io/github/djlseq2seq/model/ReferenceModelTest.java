package io.github.djlseq2seq.model;

import static io.github.djlseq2seq.PyTorchFixtures.assertClose;
import static io.github.djlseq2seq.PyTorchFixtures.ints;
import static io.github.djlseq2seq.PyTorchFixtures.setParameters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import io.github.djlseq2seq.PyTorchFixtures;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/**
 * One forward pass of the whole {@link Seq2SeqTransformer} (d 16, 2 heads, feed-forward 32, dropout
 * 0) with fixed weights against a plain-PyTorch mirror of the architecture, on a batch with source
 * and target padding: post-norm with separate embeddings and an untied projection (2 + 2 layers),
 * and pre-norm with shared embeddings and a tied projection (1 + 2 layers).
 */
public class ReferenceModelTest {

    @DataProvider
    public Object[][] fixtures() {
        return new Object[][] {{"model-post-norm.json"}, {"model-pre-norm.json"}};
    }

    @Test(dataProvider = "fixtures")
    public void logitsMatchPyTorch(String file) {
        JsonObject fixture = PyTorchFixtures.load(file);
        JsonObject c = fixture.getAsJsonObject("config");
        TransformerConfig config =
                TransformerConfig.builder()
                        .setSourceVocabSize(c.get("sourceVocab").getAsInt())
                        .setTargetVocabSize(c.get("targetVocab").getAsInt())
                        .optModelDim(c.get("modelDim").getAsInt())
                        .optNumHeads(c.get("numHeads").getAsInt())
                        .optEncoderLayers(c.get("encoderLayers").getAsInt())
                        .optDecoderLayers(c.get("decoderLayers").getAsInt())
                        .optFeedForwardDim(c.get("feedForwardDim").getAsInt())
                        .optDropout(0f)
                        .optNormPlacement(
                                c.get("pre").getAsBoolean()
                                        ? NormPlacement.PRE
                                        : NormPlacement.POST)
                        .optShareEmbeddings(c.get("share").getAsBoolean())
                        .optTieOutputEmbedding(c.get("tie").getAsBoolean())
                        .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray source = manager.create(ints(fixture.getAsJsonArray("sourceIds"))); // [B, S]
            NDArray target =
                    manager.create(ints(fixture.getAsJsonArray("decoderInputIds"))); // [B, T]
            Seq2SeqTransformer model = Seq2SeqTransformer.builder().setConfig(config).build();
            model.initialize(manager, DataType.FLOAT32, source.getShape(), target.getShape());
            setParameters(model, fixture.getAsJsonObject("parameters"));
            NDArray logits =
                    model.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(source, target),
                                    false)
                            .head(); // [B, T, V]
            assertClose(logits, fixture.getAsJsonObject("logits"), 1e-4, 0, file + " logits");
        }
    }
}
