package io.github.djlseq2seq.model;

import static io.github.djlseq2seq.PyTorchFixtures.array;
import static io.github.djlseq2seq.PyTorchFixtures.assertClose;
import static io.github.djlseq2seq.PyTorchFixtures.setParameters;
import static io.github.djlseq2seq.PyTorchFixtures.shape;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.djlseq2seq.PyTorchFixtures;
import org.testng.annotations.Test;

/**
 * {@link MultiHeadAttention} against PyTorch (explicit float64 math, itself checked against {@code
 * torch.nn.MultiheadAttention}) with the same Q/K/V/O weights: a cross-attention with key padding
 * and a self-attention with the look-ahead and key-padding masks.
 */
public class ReferenceAttentionTest {

    @Test
    public void attentionMatchesPyTorch() {
        JsonObject fixture = PyTorchFixtures.load("attention.json");
        for (JsonElement element : fixture.getAsJsonArray("cases")) {
            JsonObject c = element.getAsJsonObject();
            try (NDManager manager = NDManager.newBaseManager()) {
                MultiHeadAttention attention =
                        MultiHeadAttention.builder()
                                .setModelDim(fixture.get("modelDim").getAsInt())
                                .setNumHeads(fixture.get("numHeads").getAsInt())
                                .optCross(c.has("memory"))
                                .build();
                JsonObject memoryRecipe =
                        c.has("memory") ? c.getAsJsonObject("memory") : c.getAsJsonObject("query");
                attention.initialize(
                        manager,
                        DataType.FLOAT32,
                        shape(c.getAsJsonObject("query")),
                        shape(memoryRecipe));
                setParameters(attention, c.getAsJsonObject("parameters"));
                NDArray query = array(manager, c.getAsJsonObject("query")); // [B, T, D]
                NDArray memory = c.has("memory") ? array(manager, memoryRecipe) : query;
                NDArray keyIds = keyIds(manager, c, memory.getShape().get(1)); // [B, S]
                NDArray bias =
                        c.get("causal").getAsBoolean()
                                ? Masks.decoderSelfAttention(keyIds, 0, DataType.FLOAT32)
                                : Masks.keyPadding(keyIds, 0, DataType.FLOAT32);
                NDArray output =
                        attention
                                .forward(
                                        new ParameterStore(manager, false),
                                        new NDList(query, memory, bias),
                                        false)
                                .head();
                assertClose(
                        output, c.getAsJsonObject("output"), 1e-5, 0, c.get("name").getAsString());
            }
        }
    }

    /** Ids {@code [B, S]}: 1 for a real key, PAD (0) after each row's length. */
    private static NDArray keyIds(NDManager manager, JsonObject c, long keys) {
        var lengths = c.getAsJsonArray("keyLengths");
        int[][] ids = new int[lengths.size()][(int) keys];
        for (int b = 0; b < ids.length; b++) {
            for (int s = 0; s < lengths.get(b).getAsInt(); s++) {
                ids[b][s] = 1;
            }
        }
        return manager.create(ids);
    }
}
