package io.github.djlseq2seq.zoo;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads parameter files into a {@link Seq2SeqTransformer} and checks them against its
 * configuration, naming the file in every error.
 *
 * <p>DJL's own loader is lenient: a file that does not start with {@code DJL@} is silently skipped
 * (the model then has no parameters), a file cut short fails with a bare {@code EOFException}, and
 * arrays of the wrong shape are accepted (a parameter takes whatever shape the file has). Here each
 * of those is an error, and so are bytes left over after the last parameter.
 */
public final class ParameterFiles {

    private static final int MODEL_FORMAT_VERSION = 1; // DJL's BaseModel.MODEL_VERSION

    private ParameterFiles() {}

    /**
     * Loads a model parameter file, as DJL's {@code Model.save} writes it ({@code DJL@} header,
     * then the block's parameters).
     *
     * @param block the block, built from the model's configuration and not yet loaded
     * @param manager the manager that will own the parameter arrays
     * @param file the {@code .params} file
     * @throws IOException if the file is missing or cannot be read
     * @throws MalformedModelException if it is not a parameter file of this configuration
     */
    public static void loadModelParameters(Seq2SeqTransformer block, NDManager manager, Path file)
            throws IOException, MalformedModelException {
        load(block, manager, file, true);
    }

    /**
     * Loads a block parameter file, as {@code Block.saveParameters} (and so the training
     * checkpoints) write it: the parameters without DJL's model header.
     *
     * @param block the block, built from the model's configuration and not yet loaded
     * @param manager the manager that will own the parameter arrays
     * @param file the parameter file
     * @throws IOException if the file is missing or cannot be read
     * @throws MalformedModelException if it is not a parameter file of this configuration
     */
    public static void loadBlockParameters(Seq2SeqTransformer block, NDManager manager, Path file)
            throws IOException, MalformedModelException {
        load(block, manager, file, false);
    }

    private static void load(
            Seq2SeqTransformer block, NDManager manager, Path file, boolean modelHeader)
            throws IOException, MalformedModelException {
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException("Missing parameter file " + file);
        }
        long size = Files.size(file);
        Map<String, Shape> expected = expectedShapes(block, manager);
        boolean trailing;
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (modelHeader) {
                skipModelHeader(in, file);
            }
            try {
                block.loadParameters(manager, in);
            } catch (MalformedModelException | RuntimeException e) {
                throw new MalformedModelException(
                        file + ": not parameters of this model: " + e.getMessage(), e);
            }
            trailing = in.read() != -1;
        } catch (EOFException e) {
            throw new MalformedModelException(
                    file + " is truncated: it ends inside the parameters (" + size + " bytes)", e);
        }
        if (trailing) {
            throw new MalformedModelException(
                    file
                            + " has data after the last parameter: it holds a larger model than"
                            + " the configuration describes");
        }
        checkShapes(block, expected, file);
    }

    /** Reads DJL's model header: magic, format version, name, data type, inputs, properties. */
    private static void skipModelHeader(DataInputStream in, Path file)
            throws IOException, MalformedModelException {
        byte[] magic = new byte[4];
        in.readFully(magic);
        if (!"DJL@".equals(new String(magic, StandardCharsets.US_ASCII))) {
            throw new MalformedModelException(
                    file + " is not a DJL parameter file: it does not start with DJL@");
        }
        int version = in.readInt();
        if (version != MODEL_FORMAT_VERSION) {
            throw new MalformedModelException(
                    file + ": unsupported DJL parameter format version " + version);
        }
        in.readUTF(); // model name
        String dataType = in.readUTF();
        if (!DataType.FLOAT32.name().equals(dataType)) {
            throw new MalformedModelException(
                    file + ": parameters are " + dataType + "; djl-seq2seq models are FLOAT32");
        }
        int inputs = in.readInt();
        for (int i = 0; i < inputs; i++) {
            in.readUTF();
            Shape.decode(in);
        }
        int properties = in.readInt();
        for (int i = 0; i < properties; i++) {
            in.readUTF();
            in.readUTF();
        }
    }

    /**
     * The shape of every parameter as the configuration makes it: the block is initialised on a
     * scratch manager, which is closed again (the file's arrays then replace the scratch ones).
     */
    private static Map<String, Shape> expectedShapes(Seq2SeqTransformer block, NDManager manager) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        try (NDManager scratch = manager.newSubManager()) {
            if (!block.isInitialized()) {
                block.initialize(scratch, DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                shapes.put(p.getKey(), p.getValue().getArray().getShape());
            }
        }
        return shapes;
    }

    private static void checkShapes(
            Seq2SeqTransformer block, Map<String, Shape> expected, Path file)
            throws MalformedModelException {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Shape want = expected.get(p.getKey());
            Shape got = p.getValue().getArray().getShape();
            if (!got.equals(want)) {
                throw new MalformedModelException(
                        file
                                + ": parameter "
                                + p.getKey()
                                + " has shape "
                                + got
                                + " but the model configuration makes it "
                                + want
                                + ": the parameters and the configuration do not belong"
                                + " together");
            }
            if (p.getValue().getArray().getDataType() != DataType.FLOAT32) {
                throw new MalformedModelException(
                        file
                                + ": parameter "
                                + p.getKey()
                                + " is "
                                + p.getValue().getArray().getDataType()
                                + "; djl-seq2seq models are FLOAT32");
            }
        }
    }
}
