package io.github.djlseq2seq.inference;

import static org.testng.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.djlseq2seq.data.SpecialTokens;
import io.github.djlseq2seq.model.NormPlacement;
import java.util.Arrays;
import java.util.Random;
import org.testng.annotations.DataProvider;
import org.testng.annotations.Test;

/** Decoding holds native memory flat: per step, and over many decode calls. */
public class DecodingMemoryTest {

    @DataProvider
    public Object[][] decoders() {
        return new Object[][] {{1, true}, {1, false}, {3, true}, {3, false}};
    }

    /** After every decode call the base manager holds exactly the arrays it held before. */
    @Test(dataProvider = "decoders")
    public void decodeCallsLeaveNothingBehind(int beam, boolean incremental) {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.PRE, 6)) {
            NDArray source = DecodingFixture.sources(f.manager, new Random(2), 5, 8, 1);
            DecodingOptions options =
                    DecodingOptions.builder().optBeamSize(beam).optIncremental(incremental).build();
            SequenceDecoder decoder = SequenceDecoder.of(f.block, options);
            int before = f.manager.getManagedArrays().size();
            for (int call = 0; call < 20; call++) {
                decoder.decode(f.ps, source);
                assertEquals(f.manager.getManagedArrays().size(), before, "after call " + call);
            }
        }
    }

    /** Within a call, what the session keeps between steps does not grow in number. */
    @Test(dataProvider = "decoders")
    public void aDecodingLoopKeepsAFixedSetOfArrays(int rowsPerSentence, boolean incremental) {
        try (DecodingFixture f = new DecodingFixture(NormPlacement.POST, 6);
                NDManager call = f.manager.newSubManager()) {
            NDArray source = DecodingFixture.sources(f.manager, new Random(2), 5, 8);
            DecodingSession session = new DecodingSession(f.block, f.ps, call, source, incremental);
            int rows = 2 * rowsPerSentence;
            try (NDManager step = call.newSubManager()) {
                long[] expand = new long[rows];
                Arrays.setAll(expand, r -> r / rowsPerSentence);
                session.select(step.create(expand));
            }
            int[] tokens = new int[rows];
            Arrays.fill(tokens, SpecialTokens.START_ID);
            int kept = -1;
            for (int t = 0; t < 25; t++) {
                try (NDManager step = call.newSubManager()) {
                    session.next(step.create(tokens));
                    long[] order = new long[rows];
                    Arrays.setAll(order, r -> rows - 1 - r); // a reorder every step
                    session.select(step.create(order));
                }
                Arrays.fill(tokens, 4 + t % 7);
                int live = call.getManagedArrays().size();
                kept = t == 0 ? live : kept;
                assertEquals(live, kept, "arrays kept after step " + t);
            }
        }
    }
}
