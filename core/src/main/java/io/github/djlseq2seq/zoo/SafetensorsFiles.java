package io.github.djlseq2seq.zoo;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads a {@link Seq2SeqTransformer}'s parameters as {@code model.safetensors} under the
 * names of the PyTorch module {@code python/djl_seq2seq_torch.py} (see {@link TorchLayout}), with
 * DJL's own safetensors support ({@link NDList#encode(OutputStream, NDList.Encoding)} and {@link
 * NDList#decode(NDManager, InputStream)}).
 *
 * <p>DJL's reader trusts the file: it neither checks that a tensor's bytes match its shape and data
 * type nor that the header fits the file. So the header is checked here first, and then the tensors
 * against the model's configuration: every error names the file and, where there is one, the
 * tensor. Parameters are float32 ({@code F32}); a file of another type is refused, not converted.
 */
public final class SafetensorsFiles {

    /** The safetensors data type of djl-seq2seq parameters. */
    static final String FLOAT32 = "F32";

    /** The largest header read: far more than a model's few hundred tensors need. */
    private static final long MAX_HEADER_BYTES = 64L << 20;

    private SafetensorsFiles() {}

    /**
     * Writes a model's parameters as safetensors, under the PyTorch module's names.
     *
     * @param model an initialised model
     * @param file the {@code .safetensors} file to write
     * @throws IOException if the file cannot be written
     */
    public static void save(Seq2SeqTransformer model, Path file) throws IOException {
        List<TorchLayout.Tensor> tensors = TorchLayout.of(model);
        NDManager parameters = tensors.get(0).parts().get(0).getArray().getManager();
        try (NDManager scratch = parameters.newSubManager();
                OutputStream os = new BufferedOutputStream(Files.newOutputStream(file))) {
            NDList list = new NDList(tensors.size());
            for (TorchLayout.Tensor t : tensors) {
                NDList parts = new NDList();
                t.parts().forEach(p -> parts.add(p.getArray()));
                NDArray array =
                        parts.size() == 1 ? parts.head().duplicate() : NDArrays.concat(parts, 0);
                array.attach(scratch);
                array.setName(t.name());
                list.add(array);
            }
            list.encode(os, NDList.Encoding.SAFETENSORS);
        }
    }

    /**
     * Loads a safetensors file, as {@link #save} or the PyTorch module's {@code save_pretrained}
     * writes it, into a model built from the matching configuration.
     *
     * @param model the model; initialised here on {@code manager} if it is not yet
     * @param manager the manager that owns the model's parameters
     * @param file the {@code .safetensors} file
     * @throws IOException if the file is missing or cannot be read
     * @throws MalformedModelException if it is not a safetensors file, or a tensor is missing,
     *     unexpected, not float32 or of another shape than the configuration makes; the message
     *     names the file and the tensor
     */
    public static void load(Seq2SeqTransformer model, NDManager manager, Path file)
            throws IOException, MalformedModelException {
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException("Missing parameter file " + file);
        }
        Map<String, Header.Entry> header = Header.read(file);
        if (!model.isInitialized()) {
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 4), new Shape(1, 4));
        }
        List<TorchLayout.Tensor> tensors = TorchLayout.of(model);
        check(tensors, header, file);
        try (NDManager scratch = manager.newSubManager();
                InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            NDList arrays;
            try {
                arrays = NDList.decode(scratch, in);
            } catch (IllegalArgumentException e) {
                throw new MalformedModelException(file + ": " + e.getMessage(), e);
            }
            for (TorchLayout.Tensor t : tensors) {
                NDArray array = arrays.get(t.name());
                NDList parts =
                        t.parts().size() == 1 ? new NDList(array) : array.split(t.splitRows(), 0);
                for (int i = 0; i < parts.size(); i++) {
                    Parameter p = t.parts().get(i);
                    parts.get(i).copyTo(p.getArray());
                }
            }
        }
    }

    /** Compares the file's tensors with the model's: names, data types and shapes. */
    private static void check(
            List<TorchLayout.Tensor> tensors, Map<String, Header.Entry> header, Path file)
            throws MalformedModelException {
        Map<String, Header.Entry> extra = new LinkedHashMap<>(header);
        List<String> missing = new ArrayList<>();
        for (TorchLayout.Tensor t : tensors) {
            Header.Entry entry = extra.remove(t.name());
            if (entry == null) {
                missing.add(t.name() + " " + t.shape());
                continue;
            }
            if (!FLOAT32.equals(entry.dtype())) {
                throw new MalformedModelException(
                        file
                                + ": tensor "
                                + t.name()
                                + " is "
                                + entry.dtype()
                                + "; djl-seq2seq parameters are "
                                + FLOAT32
                                + " (save a float32 copy, e.g. model.float() in PyTorch)");
            }
            if (!entry.shape().equals(t.shape())) {
                throw new MalformedModelException(
                        file
                                + ": tensor "
                                + t.name()
                                + " has shape "
                                + entry.shape()
                                + " but the model configuration makes it "
                                + t.shape()
                                + ": the parameters and config.json do not belong together");
            }
        }
        if (!missing.isEmpty()) {
            throw new MalformedModelException(
                    file
                            + ": missing tensor"
                            + (missing.size() == 1 ? " " : "s ")
                            + String.join(", ", missing)
                            + " that the model configuration needs");
        }
        if (!extra.isEmpty()) {
            throw new MalformedModelException(
                    file
                            + ": unexpected tensor"
                            + (extra.size() == 1 ? " " : "s ")
                            + String.join(", ", extra.keySet())
                            + ", not a parameter of the model configuration (is normPlacement,"
                            + " tieOutputEmbedding or shareEmbeddings in config.json right?)");
        }
    }

    /** The header of a safetensors file: for each tensor, its data type, shape and bytes. */
    private static final class Header {

        /** One tensor's entry. */
        record Entry(String dtype, Shape shape, long begin, long end) {}

        /** Reads and checks the header; tensors in the file's order, without __metadata__. */
        static Map<String, Entry> read(Path file) throws IOException, MalformedModelException {
            long size = Files.size(file);
            String json;
            try (DataInputStream in =
                    new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                if (size < 8) {
                    throw notSafetensors(file, "it has only " + size + " bytes");
                }
                byte[] length = new byte[8];
                in.readFully(length);
                long n = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (n < 2 || n > MAX_HEADER_BYTES || n > size - 8) {
                    throw notSafetensors(
                            file,
                            "its header length " + n + " does not fit its " + size + " bytes");
                }
                byte[] text = new byte[(int) n];
                in.readFully(text);
                json = new String(text, StandardCharsets.UTF_8);
            }
            if (!json.startsWith("{")) {
                throw notSafetensors(file, "its header is not a JSON object");
            }
            Map<String, Entry> entries;
            try {
                entries = parse(json);
            } catch (RuntimeException e) {
                throw notSafetensors(file, "malformed header: " + e.getMessage());
            }
            long data = size - 8 - json.getBytes(StandardCharsets.UTF_8).length;
            long end = 0;
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                Entry entry = e.getValue();
                long bytes = entry.shape().size() * bytesPerElement(entry.dtype());
                if (entry.begin() < 0 || entry.end() - entry.begin() != bytes) {
                    throw new MalformedModelException(
                            file
                                    + ": tensor "
                                    + e.getKey()
                                    + " ("
                                    + entry.dtype()
                                    + " "
                                    + entry.shape()
                                    + ") has data_offsets ["
                                    + entry.begin()
                                    + ", "
                                    + entry.end()
                                    + "], not "
                                    + bytes
                                    + " bytes");
                }
                if (entry.end() > data) {
                    throw new MalformedModelException(
                            file
                                    + " is truncated: tensor "
                                    + e.getKey()
                                    + " ends at byte "
                                    + entry.end()
                                    + " of the data, which has "
                                    + data);
                }
                end = Math.max(end, entry.end());
            }
            if (end != data) {
                throw new MalformedModelException(
                        file + ": " + (data - end) + " bytes after the last tensor's data");
            }
            return entries;
        }

        private static Map<String, Entry> parse(String json) {
            JsonObject object = JsonParser.parseString(json).getAsJsonObject();
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (String name : object.keySet()) {
                if ("__metadata__".equals(name)) {
                    continue;
                }
                JsonObject o = object.getAsJsonObject(name);
                JsonArray shape = o.getAsJsonArray("shape");
                long[] dims = new long[shape.size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = shape.get(i).getAsLong();
                }
                JsonArray offsets = o.getAsJsonArray("data_offsets");
                if (offsets.size() != 2) {
                    throw new IllegalArgumentException(name + ": data_offsets needs two numbers");
                }
                entries.put(
                        name,
                        new Entry(
                                o.get("dtype").getAsString(),
                                new Shape(dims),
                                offsets.get(0).getAsLong(),
                                offsets.get(1).getAsLong()));
            }
            return entries;
        }

        private static long bytesPerElement(String dtype) {
            return switch (dtype) {
                case "F64", "I64", "U64" -> 8;
                case "F32", "I32", "U32" -> 4;
                case "F16", "BF16", "I16", "U16" -> 2;
                default -> 1;
            };
        }

        private static MalformedModelException notSafetensors(Path file, String why) {
            return new MalformedModelException(file + " is not a safetensors file: " + why);
        }
    }
}
