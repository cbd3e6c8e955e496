package io.github.djlseq2seq.spark;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.inference.DecodingOptions;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import io.github.djlseq2seq.zoo.ModelExporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A tiny untrained model exported for the tests, its inputs, and its single-JVM translations. */
final class TinyModel {

    /** What the tiny tokenizer learns from; sentences of many lengths. */
    private static final List<String> TEXTS =
            List.of(
                    "In the beginning God created the heaven and the earth.",
                    "En el principio crió Dios los cielos y la tierra.",
                    "And the earth was without form, and void; and darkness was upon the face of"
                            + " the deep.",
                    "Y la tierra estaba desordenada y vacía, y las tinieblas estaban sobre la faz"
                            + " del abismo.",
                    "And God said, Let there be light: and there was light.",
                    "Y dijo Dios: Sea la luz: y fué la luz.");

    private TinyModel() {}

    /**
     * Exports a tiny model to a directory; it decodes with beam 4 and at most n + 2 tokens for n
     * source tokens (an untrained model goes on to the limit: a short one keeps the tests quick).
     *
     * @param dir where to export it
     * @return the exported model's directory
     */
    static Path export(Path dir) throws Exception {
        BpeTokenizer tokenizer =
                BpeTokenizer.train(TEXTS, BpeTrainingConfig.builder().optVocabSize(300).build());
        Engine.getInstance().setRandomSeed(7);
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
                            .optDropout(0f)
                            .optMaxLength(96)
                            .optShareEmbeddings(true)
                            .optTieOutputEmbedding(true)
                            .build();
            Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
            model.setBlock(block);
            block.initialize(
                    model.getNDManager(), DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
            return ModelExporter.builder()
                    .setModel(model)
                    .setTokenizer(tokenizer)
                    .optDecodingOptions(
                            DecodingOptions.builder()
                                    .optMaxLengthRatio(1f)
                                    .optMaxLengthOffset(2)
                                    .build())
                    .build()
                    .export(dir);
        }
    }

    /**
     * Lines of many lengths, empty ones among them: words of the tokenizer's texts, cut and mixed.
     *
     * @param count how many lines
     * @return the lines
     */
    static List<String> lines(int count) {
        String[] words = String.join(" ", TEXTS).split(" ");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 7 == 3) {
                lines.add("");
                continue;
            }
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < 1 + (i * 5) % 13; w++) {
                line.append(w == 0 ? "" : " ").append(words[(i * 3 + w * 7) % words.length]);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * Translates in this JVM, through Criteria and one predictor, all lines in one batch.
     *
     * @param dir the exported model
     * @param arguments the Criteria arguments
     * @param lines the lines
     * @return their translations
     */
    static List<String> translate(Path dir, Map<String, Object> arguments, List<String> lines)
            throws Exception {
        Criteria.Builder<String, String> criteria =
                Criteria.builder().setTypes(String.class, String.class).optModelPath(dir);
        arguments.forEach(criteria::optArgument);
        try (ZooModel<String, String> model = criteria.build().loadModel();
                Predictor<String, String> predictor = model.newPredictor()) {
            return predictor.batchPredict(lines);
        }
    }
}
