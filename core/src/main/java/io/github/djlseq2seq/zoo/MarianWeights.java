package io.github.djlseq2seq.zoo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.djlseq2seq.data.MarianIds;
import io.github.djlseq2seq.model.AttentionLayout;
import io.github.djlseq2seq.model.AttentionLayout.Projection;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a Hugging Face MarianMT {@code model.safetensors} into a {@link Seq2SeqTransformer}: the
 * one place where Hugging Face's parameter names meet ours.
 *
 * <pre>
 *   model.shared.weight [V, D]               → embedding.weight [V + 1, D]   rows by MarianIds
 *   final_logits_bias [1, V]                 → projection.bias [V + 1]       rows by MarianIds
 *   lm_head.weight [V, D] (untied only)      → projection.weight [V + 1, D]  rows by MarianIds
 *   model.{encoder,decoder}.layers.i.
 *     self_attn.{q,k,v}_proj                 → layer i selfAttention.inProjection{Weight,Bias}
 *                                              rows Q | K | V (concatenated)
 *     encoder_attn.q_proj                    → layer i crossAttention.query{Weight,Bias}
 *     encoder_attn.{k,v}_proj                → layer i crossAttention.keyValue{Weight,Bias}, K | V
 *     {self_attn,encoder_attn}.out_proj      → layer i {self,cross}Attention.output
 *     {self_attn,encoder_attn}_layer_norm    → layer i {selfAttention,crossAttention}Norm.norm
 *     fc1, fc2                               → layer i feedForward.{expand,contract}
 *     final_layer_norm                       → layer i feedForwardNorm.norm
 * </pre>
 *
 * <p>Linear weights keep their {@code [out, in]} layout; LayerNorm's weight and bias are DJL's
 * gamma and beta. The static sinusoidal {@code embed_positions} tables and the tied copies of the
 * shared embedding are read by nobody: positions are computed ({@code PositionEncoding.SPLIT}). Any
 * other tensor, a missing one or a wrong shape is an error naming the file and the tensor.
 */
final class MarianWeights {

    /** Tensors a Marian checkpoint may hold that the model does not read. */
    private static final Set<String> UNREAD =
            Set.of(
                    "model.encoder.embed_positions.weight",
                    "model.decoder.embed_positions.weight",
                    "model.encoder.embed_tokens.weight",
                    "model.decoder.embed_tokens.weight");

    private static final String SHARED = "model.shared.weight";
    private static final String LM_HEAD = "lm_head.weight";
    private static final String LOGITS_BIAS = "final_logits_bias";

    private MarianWeights() {}

    /**
     * Maps each of our parameters (by its name without DJL's child-index prefixes) to the Hugging
     * Face tensors that fill it, concatenated along the first axis when there are several.
     *
     * @param config the model configuration
     * @return our name → Hugging Face names
     */
    static Map<String, List<String>> names(TransformerConfig config) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        map.put("embedding_weight", List.of(SHARED));
        map.put("projection_bias", List.of(LOGITS_BIAS));
        if (!config.tieOutputEmbedding()) {
            map.put("projection_weight", List.of(LM_HEAD));
        }
        for (int i = 0; i < config.encoderLayers(); i++) {
            String ours = "encoder_layer" + i + "_";
            String hf = "model.encoder.layers." + i + ".";
            attention(map, ours + "selfAttention", hf + "self_attn", false);
            norm(map, ours + "selfAttentionNorm", hf + "self_attn_layer_norm");
            feedForward(map, ours, hf);
        }
        for (int i = 0; i < config.decoderLayers(); i++) {
            String ours = "decoder_layer" + i + "_";
            String hf = "model.decoder.layers." + i + ".";
            attention(map, ours + "selfAttention", hf + "self_attn", false);
            norm(map, ours + "selfAttentionNorm", hf + "self_attn_layer_norm");
            attention(map, ours + "crossAttention", hf + "encoder_attn", true);
            norm(map, ours + "crossAttentionNorm", hf + "encoder_attn_layer_norm");
            feedForward(map, ours, hf);
        }
        return map;
    }

    /**
     * Hugging Face's separate q/k/v projections, concatenated row-wise into our in-projection
     * layout ({@link AttentionLayout}): Q | K | V for self-attention, Q and K | V for
     * cross-attention.
     */
    private static void attention(
            Map<String, List<String>> map, String ours, String hf, boolean cross) {
        String q = hf + ".q_proj.";
        String k = hf + ".k_proj.";
        String v = hf + ".v_proj.";
        List<Projection> projections = List.of(Projection.values());
        for (String part : List.of("weight", "bias")) {
            Map<String, List<String>> stacked = new LinkedHashMap<>();
            for (Projection p : projections) {
                String name =
                        part.equals("weight")
                                ? AttentionLayout.weightName(cross, p)
                                : AttentionLayout.biasName(cross, p);
                String source = (p == Projection.QUERY ? q : p == Projection.KEY ? k : v) + part;
                stacked.computeIfAbsent(ours + "_" + name, n -> new ArrayList<>()).add(source);
            }
            map.putAll(stacked);
        }
        linear(map, ours + "_" + AttentionLayout.OUTPUT, hf + ".out_proj");
    }

    private static void feedForward(Map<String, List<String>> map, String ours, String hf) {
        linear(map, ours + "feedForward_expand", hf + "fc1");
        linear(map, ours + "feedForward_contract", hf + "fc2");
        norm(map, ours + "feedForwardNorm", hf + "final_layer_norm");
    }

    private static void linear(Map<String, List<String>> map, String ours, String hf) {
        map.put(ours + "_weight", List.of(hf + ".weight"));
        map.put(ours + "_bias", List.of(hf + ".bias"));
    }

    private static void norm(Map<String, List<String>> map, String ours, String hf) {
        map.put(ours + "_norm_gamma", List.of(hf + ".weight"));
        map.put(ours + "_norm_beta", List.of(hf + ".bias"));
    }

    /**
     * Returns a parameter's name without DJL's two-digit child prefixes: {@code
     * 03encoder_01layer0_02selfAttention_01query_weight} → {@code
     * encoder_layer0_selfAttention_query_weight}.
     */
    static String plainName(String name) {
        return name.replaceAll("(^|_)\\d\\d", "$1");
    }

    /**
     * Initialises the model and fills every parameter from the checkpoint.
     *
     * @param model the model, built from the checkpoint's configuration
     * @param manager the manager that owns the parameters
     * @param file the model.safetensors file
     * @param ids the id mapping
     * @throws IOException if the file cannot be read, misses a tensor, holds an unknown one or a
     *     tensor of the wrong shape; the message names the file and the tensor
     */
    static void load(Seq2SeqTransformer model, NDManager manager, Path file, MarianIds ids)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Missing Marian weights " + file);
        }
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 1), new Shape(1, 1));
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> tensors = read(scope, file);
            Map<String, List<String>> names = names(model.getConfig());
            Set<String> read = new HashSet<>();
            for (Pair<String, Parameter> p : model.getParameters()) {
                String ours = plainName(p.getKey());
                List<String> hf = names.get(ours);
                if (hf == null) {
                    throw new IllegalStateException("No Marian tensor is mapped to " + ours);
                }
                NDArray target = p.getValue().getArray();
                NDList parts = new NDList();
                for (String name : hf) {
                    NDArray part = tensor(tensors, name, file);
                    if (hf.size() > 1) { // rows of a stacked in-projection, [D, D] or [D] each
                        long rows = target.getShape().get(0) / hf.size();
                        Shape expected = new Shape(rows).addAll(target.getShape().slice(1));
                        checkShape(part.getShape(), expected, name, file);
                    }
                    parts.add(part);
                    read.add(name);
                }
                NDArray value = AttentionLayout.stack(parts);
                if (hf.contains(SHARED) || hf.contains(LM_HEAD) || hf.contains(LOGITS_BIAS)) {
                    value = byOurIds(value, ids, String.join(", ", hf), file);
                }
                checkShape(value.getShape(), target.getShape(), String.join(" + ", hf), file);
                value.toType(DataType.FLOAT32, false).copyTo(target);
            }
            List<String> unknown = new ArrayList<>();
            for (String name : tensors.keySet()) {
                if (!read.contains(name) && !UNREAD.contains(name) && !name.equals(LM_HEAD)) {
                    unknown.add(name);
                }
            }
            if (!unknown.isEmpty()) {
                throw new IOException(
                        file
                                + ": tensors that no MarianMTModel parameter takes: "
                                + unknown
                                + " (not a Marian checkpoint, or config.json does not match it)");
            }
        }
    }

    private static void checkShape(Shape actual, Shape expected, String tensor, Path file)
            throws IOException {
        if (!actual.equals(expected)) {
            throw new IOException(
                    file
                            + ": tensor "
                            + tensor
                            + " has shape "
                            + actual
                            + "; config.json gives "
                            + expected
                            + " (ours, after the id mapping)");
        }
    }

    private static Map<String, NDArray> read(NDManager manager, Path file) throws IOException {
        NDList list;
        try (InputStream in = Files.newInputStream(file)) {
            list = NDList.decode(manager, in);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": not a safetensors file (" + e.getMessage() + ")", e);
        }
        Map<String, NDArray> map = new HashMap<>();
        for (NDArray array : list) {
            map.put(array.getName(), array);
        }
        return map;
    }

    private static NDArray tensor(Map<String, NDArray> tensors, String name, Path file)
            throws IOException {
        NDArray array = tensors.get(name);
        if (array == null && name.equals(SHARED)) { // checkpoints that keep only the tied copies
            array = tensors.get("model.encoder.embed_tokens.weight");
        }
        if (array == null) {
            throw new IOException(file + ": missing tensor " + name);
        }
        return array;
    }

    /**
     * Takes Marian's rows {@code [V, …]} (or {@code [1, V]}) in our id order {@code [V + 1, …]}.
     */
    private static NDArray byOurIds(NDArray value, MarianIds ids, String name, Path file)
            throws IOException {
        NDArray rows =
                value.getShape().dimension() == 2 && value.getShape().get(0) == 1
                        ? value.reshape(-1) // final_logits_bias [1, V] → [V]
                        : value;
        if (rows.getShape().get(0) != ids.size() - 1) {
            throw new IOException(
                    file
                            + ": tensor "
                            + name
                            + " has shape "
                            + value.getShape()
                            + " but config.json's vocab_size is "
                            + (ids.size() - 1));
        }
        return rows.get(new NDIndex("{}", rows.getManager().create(ids.rows()))); // [V + 1, …]
    }
}
