package io.github.djlseq2seq.precision;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.expectThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.testng.annotations.Test;

/**
 * The archive's layout is the one {@code torch.jit.save} writes (loading it is tested through the
 * products in {@link MatrixProductsTest}), and the same bytes every time.
 */
public class TorchScriptArchiveTest {

    private static final String METHOD =
            "  def forward(self: __torch__.Twice,\n    x: Tensor) -> Tensor:\n"
                    + "    return torch.add(x, x)\n";

    @Test
    public void writesTheLayoutOfTorchJitSave() throws IOException {
        byte[] archive = TorchScriptArchive.write("Twice", METHOD);
        List<String> names = new ArrayList<>();
        String code = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                names.add(e.getName());
                assertEquals(e.getMethod(), ZipEntry.STORED, e.getName());
                byte[] data = zip.readAllBytes();
                if (e.getName().endsWith(".py")) {
                    code = new String(data, StandardCharsets.UTF_8);
                }
                if (e.getName().endsWith("version")) {
                    assertEquals(new String(data, StandardCharsets.US_ASCII), "3\n");
                }
            }
        }
        assertEquals(
                names,
                List.of(
                        "twice/version",
                        "twice/constants.pkl",
                        "twice/data.pkl",
                        "twice/code/__torch__.py"));
        assertEquals(
                code,
                "class Twice(Module):\n  __parameters__ = []\n  __buffers__ = []\n"
                        + "  training : bool\n"
                        + METHOD);
        // the module pickle of torch.jit.save, without the optional backward-hook attribute
        assertEquals(
                new String(TorchScriptArchive.modulePickle("Twice"), StandardCharsets.ISO_8859_1),
                "\u0080\u0002c__torch__\nTwice\n)\u0081}(X\u0008\u0000\u0000\u0000training\u0088ub.");
        assertEquals(TorchScriptArchive.write("Twice", METHOD), archive);
    }

    @Test
    public void rejectsANameThatIsNoIdentifier() {
        IllegalArgumentException e =
                expectThrows(
                        IllegalArgumentException.class,
                        () -> TorchScriptArchive.write("two words", METHOD));
        assertEquals(e.getMessage(), "not a class name: 'two words'");
    }
}
