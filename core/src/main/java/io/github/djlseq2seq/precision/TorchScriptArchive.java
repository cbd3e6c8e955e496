package io.github.djlseq2seq.precision;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript archive (what {@code torch.jit.save} writes and {@code torch.jit.load}
 * reads) for a parameterless module whose methods are given as TorchScript source, so that no
 * Python step is needed to make one.
 *
 * <p>The layout is the one {@code torch.jit.save} of PyTorch 1.13 writes for such a module (learnt
 * from one archive written once with Debian's python3-torch and kept out of the build), minus the
 * optional debug tables:
 *
 * <pre>
 *   NAME/version             "3\n"             the file-format version (libtorch 2.7 reads 1 and up)
 *   NAME/constants.pkl       pickle of ()       the tensor constants: none
 *   NAME/data.pkl            pickle of __torch__.CLASS(training=True), the module's state
 *   NAME/code/__torch__.py   class CLASS(Module): …   the methods, in serialised TorchScript
 * </pre>
 *
 * Every entry is stored uncompressed. libtorch compiles the source when it loads the archive, so a
 * method it cannot compile fails at load time with the compiler's message, never later.
 */
public final class TorchScriptArchive {

    /** The file-format version written; the one PyTorch 1.13 writes for these operators. */
    static final String FORMAT_VERSION = "3\n";

    private TorchScriptArchive() {}

    /**
     * Writes an archive whose module class has the given methods.
     *
     * @param className the class name, a Python identifier (the class is {@code
     *     __torch__.className})
     * @param methods the methods' source, each {@code def name(self: __torch__.CLASS, …) -> …:}
     *     indented by two spaces, in the dialect of {@code code/__torch__.py}
     * @return the archive's bytes
     */
    public static byte[] write(String className, String methods) {
        if (!className.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not a class name: '" + className + "'");
        }
        String code =
                "class "
                        + className
                        + "(Module):\n"
                        + "  __parameters__ = []\n"
                        + "  __buffers__ = []\n"
                        + "  training : bool\n"
                        + methods;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            String dir = className.toLowerCase(java.util.Locale.ROOT) + "/";
            put(zip, dir + "version", FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII));
            put(zip, dir + "constants.pkl", emptyTuplePickle());
            put(zip, dir + "data.pkl", modulePickle(className));
            put(zip, dir + "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    /** Pickle protocol 2 of the empty tuple: {@code PROTO 2, EMPTY_TUPLE, STOP}. */
    static byte[] emptyTuplePickle() {
        return new byte[] {(byte) 0x80, 2, ')', '.'};
    }

    /**
     * Pickle protocol 2 of the module object with {@code training = True}: {@code PROTO 2, GLOBAL
     * "__torch__ CLASS", EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, MARK, BINUNICODE "training", NEWTRUE,
     * SETITEMS, BUILD, STOP}.
     */
    static byte[] modulePickle(String className) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2);
        p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII));
        p.write(')');
        p.write(0x81);
        p.write('}');
        p.write('(');
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X');
        p.write(key.length); // 4-byte little-endian length
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(key);
        p.write(0x88);
        p.write('u');
        p.write('b');
        p.write('.');
        return p.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        entry.setCompressedSize(data.length);
        entry.setCrc(crc.getValue());
        entry.setTime(315532800000L); // 1980-01-01, as torch.jit.save: the same bytes every time
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
