package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.djlseq2seq.data.BpeTokenizer;
import io.github.djlseq2seq.data.BpeTrainingConfig;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.Test;

/**
 * Streaming translation in length-sorted windows writes what the former translate wrote (fixed
 * batches in input order), line for line, and plans batches within its budget.
 */
public class StreamingTranslationTest {

    private static final List<String> TEXTS =
            List.of(
                    "In the beginning God created the heavens and the earth.",
                    "En el principio crió Dios los cielos y la tierra.",
                    "And God said, Let there be light: and there was light.",
                    "Y dijo Dios: Sea la luz: y fué la luz.");

    private BpeTokenizer tokenizer;
    private Model model;

    @BeforeClass
    public void setUp() {
        tokenizer =
                BpeTokenizer.train(TEXTS, BpeTrainingConfig.builder().optVocabSize(300).build());
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
                        .optMaxLength(64)
                        .optShareEmbeddings(true)
                        .build();
        Engine.getInstance().setRandomSeed(5);
        model = Model.newInstance("streaming");
        Seq2SeqTransformer block = Seq2SeqTransformer.builder().setConfig(config).build();
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
    }

    @AfterClass
    public void tearDown() {
        model.close();
    }

    /** 23 lines of 0 to 12 words (blank ones too), not a multiple of any batch size used. */
    private static List<String> lines() {
        Random random = new Random(3);
        String[] words = String.join(" ", TEXTS).split(" ");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            int n = i % 7 == 3 ? 0 : random.nextInt(12) + 1;
            StringBuilder line = new StringBuilder(i % 11 == 5 ? "   " : "");
            for (int w = 0; w < n; w++) {
                line.append(w == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** What translate wrote before: fixed batches of 5 in input order. */
    private static String formerTranslate(Predictor<String, String> p, List<String> lines)
            throws Exception {
        StringBuilder out = new StringBuilder();
        for (int from = 0; from < lines.size(); from += 5) {
            for (String t : p.batchPredict(lines.subList(from, Math.min(lines.size(), from + 5)))) {
                out.append(t.replace('\n', ' ').replace('\r', ' ')).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    public void outputEqualsTheFormerTranslateLineForLine() throws Exception {
        List<String> lines = lines();
        assertTrue(lines.stream().filter(String::isBlank).count() >= 3, lines.toString());
        for (int beam : new int[] {1, 3}) {
            DecodingOptions options = DecodingOptions.builder().optBeamSize(beam).build();
            try (Predictor<String, String> p =
                    model.newPredictor(new Seq2SeqTranslator(tokenizer, tokenizer, options))) {
                String expected = formerTranslate(p, lines);
                for (int window : new int[] {1, 4, 10_000}) {
                    StringWriter out = new StringWriter();
                    List<Long> progress = new ArrayList<>();
                    StreamingTranslation.Summary summary =
                            StreamingTranslation.builder()
                                    .setPredictor(p)
                                    .optWindow(window)
                                    .optMaxSentences(3)
                                    .optMaxTokens(60)
                                    .optLength(s -> tokenizer.encode(s).length)
                                    .optProgress((n, seconds) -> progress.add(n))
                                    .build()
                                    .translate(
                                            new BufferedReader(
                                                    new StringReader(String.join("\n", lines))),
                                            out);
                    assertEquals(out.toString(), expected, "beam " + beam + ", window " + window);
                    assertEquals(summary.lines(), lines.size());
                    assertEquals(expected.split("\n", -1).length, lines.size() + 1);
                    // progress rises to the last line
                    assertEquals((long) progress.get(progress.size() - 1), lines.size());
                    for (int i = 1; i < progress.size(); i++) {
                        assertTrue(progress.get(i) > progress.get(i - 1), progress.toString());
                    }
                }
            }
        }
    }

    @Test
    public void batchesAreSortedByLengthAndStayWithinTheBudget() {
        LengthBatches planner = new LengthBatches(3, 16);
        List<int[]> batches = planner.plan(new int[] {9, 2, 5, 2});
        assertEquals(batches.size(), 3);
        assertEquals(batches.get(0), new int[] {1, 3});
        assertEquals(batches.get(1), new int[] {2});
        assertEquals(batches.get(2), new int[] {0});
        // a sentence over the budget alone still gets a batch; the sentence cap holds
        int[] lengths = new int[50];
        Arrays.setAll(lengths, i -> (i * 7) % 13);
        lengths[17] = 40;
        List<int[]> planned = new LengthBatches(4, 30).plan(lengths);
        boolean[] seen = new boolean[lengths.length];
        int previous = -1;
        for (int[] batch : planned) {
            int longest = 0;
            for (int i : batch) {
                assertTrue(!seen[i], "position " + i + " twice");
                seen[i] = true;
                assertTrue(lengths[i] >= previous, "sorted");
                previous = lengths[i];
                longest = Math.max(longest, lengths[i]);
            }
            assertTrue(batch.length <= 4);
            assertTrue(batch.length == 1 || batch.length * (longest + 2) <= 30, "budget");
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
        assertEquals(planned.get(planned.size() - 1), new int[] {17});
        expectThrows(IllegalArgumentException.class, () -> new LengthBatches(0, 10));
        expectThrows(
                IllegalArgumentException.class,
                () -> StreamingTranslation.builder().setPredictor(null).build());
    }
}
