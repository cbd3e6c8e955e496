package io.github.djlseq2seq.train;

import static io.github.djlseq2seq.PyTorchFixtures.array;
import static io.github.djlseq2seq.PyTorchFixtures.ints;
import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import io.github.djlseq2seq.PyTorchFixtures;
import io.github.djlseq2seq.data.SpecialTokens;
import org.testng.annotations.Test;

/**
 * {@link PaddedCrossEntropyLoss} against {@code F.cross_entropy(logits, target, label_smoothing,
 * ignore_index=0)} with {@code reduction="mean"} (our MEAN: over non-PAD targets) and {@code "sum"}
 * (our SUM), on logits {@code [2, 4, 7]} with two PAD targets.
 */
public class ReferenceLossTest {

    @Test
    public void labelSmoothedLossMatchesPyTorch() {
        JsonObject fixture = PyTorchFixtures.load("cross-entropy.json");
        int pad = fixture.get("padId").getAsInt();
        assertEquals(pad, SpecialTokens.PAD_ID, "the fixture's PAD is the library's");
        float smoothing = fixture.get("labelSmoothing").getAsFloat();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList logits = new NDList(array(manager, fixture.getAsJsonObject("logits")));
            NDList labels = new NDList(manager.create(ints(fixture.getAsJsonArray("target"))));
            assertEquals(
                    loss(smoothing, PaddedCrossEntropyLoss.Reduction.MEAN, labels, logits),
                    fixture.get("mean").getAsDouble(),
                    1e-5,
                    "mean");
            assertEquals(
                    loss(smoothing, PaddedCrossEntropyLoss.Reduction.SUM, labels, logits),
                    fixture.get("sum").getAsDouble(),
                    1e-4,
                    "sum");
            assertEquals(
                    loss(0, PaddedCrossEntropyLoss.Reduction.MEAN, labels, logits),
                    fixture.get("meanWithoutSmoothing").getAsDouble(),
                    1e-5,
                    "mean without smoothing");
        }
    }

    private static double loss(
            float smoothing,
            PaddedCrossEntropyLoss.Reduction reduction,
            NDList labels,
            NDList logits) {
        NDArray value =
                PaddedCrossEntropyLoss.builder()
                        .optLabelSmoothing(smoothing)
                        .optReduction(reduction)
                        .build()
                        .evaluate(labels, logits);
        return value.getFloat();
    }
}
