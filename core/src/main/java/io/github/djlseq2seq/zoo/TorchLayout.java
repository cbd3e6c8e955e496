package io.github.djlseq2seq.zoo;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.djlseq2seq.model.AttentionLayout;
import io.github.djlseq2seq.model.NormPlacement;
import io.github.djlseq2seq.model.Seq2SeqTransformer;
import io.github.djlseq2seq.model.TransformerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one place where the parameters of a {@link Seq2SeqTransformer} meet the names and layout of
 * the PyTorch module {@code python/djl_seq2seq_torch.py} (built on {@code torch.nn.Transformer}),
 * whose {@code state_dict} is what {@link SafetensorsFiles} writes and reads.
 *
 * <p>Each PyTorch tensor is one or more of our parameters concatenated along axis 0; for layer i:
 *
 * <pre>
 *   src_embed.weight, tgt_embed.weight   ← sourceEmbedding, targetEmbedding   [V, D]
 *   embed.weight                         ← embedding (shareEmbeddings)        [V, D]
 *   transformer.encoder.layers.i.self_attn.in_proj_weight
 *                                        ← selfAttention inProjectionWeight   [3D, D] (Q | K | V)
 *   ….self_attn.out_proj.{weight, bias}  ← selfAttention output
 *   ….norm1 / norm2                      ← selfAttentionNorm / feedForwardNorm (gamma → weight)
 *   ….linear1 / linear2                  ← feedForward expand / contract
 *   transformer.decoder.layers.i.multihead_attn.in_proj_weight
 *                                        ← crossAttention queryWeight ; keyValueWeight  [3D, D]
 *   ….multihead_attn.out_proj            ← crossAttention output
 *   ….norm1 / norm2 / norm3              ← self-, cross-attention and feed-forward norms
 *   transformer.{encoder,decoder}.norm   ← the stacks' finalNorm (PRE only)
 *   generator.{weight, bias}             ← projection (untied only)
 * </pre>
 *
 * <p>The attention layout is {@link AttentionLayout}'s. Our parameters are named here by their path
 * without DJL's child-order prefixes ({@code 03encoder_01layer0_…} is {@code encoder_layer0_…}); a
 * parameter of the model that no tensor takes is an error, so a change of the model's parameters
 * cannot go unnoticed.
 */
public final class TorchLayout {

    /** DJL's two-digit child-order prefix of each path segment. */
    private static final Pattern ORDER_PREFIX = Pattern.compile("(^|_)\\d\\d(?=[A-Za-z])");

    private TorchLayout() {}

    /**
     * One tensor of the PyTorch module's {@code state_dict}.
     *
     * @param name its key, e.g. {@code transformer.encoder.layers.0.self_attn.in_proj_weight}
     * @param parts our parameters it concatenates along axis 0, in order
     */
    public record Tensor(String name, List<Parameter> parts) {

        /**
         * Returns the tensor's shape: the parts' shapes with their first dimensions summed.
         *
         * @return the shape; the parameters must be initialised
         */
        public Shape shape() {
            Shape first = parts.get(0).getArray().getShape();
            long rows = parts.stream().mapToLong(p -> p.getArray().getShape().get(0)).sum();
            return new Shape(rows).addAll(first.slice(1));
        }

        /**
         * Returns where the tensor splits into its parts along axis 0.
         *
         * @return the first row of each part after the first
         */
        public long[] splitRows() {
            long[] rows = new long[parts.size() - 1];
            long row = 0;
            for (int i = 0; i < rows.length; i++) {
                row += parts.get(i).getArray().getShape().get(0);
                rows[i] = row;
            }
            return rows;
        }
    }

    /**
     * Lists the PyTorch tensors of a model, in {@code state_dict} order.
     *
     * @param model an initialised model
     * @return the tensors, covering every parameter of the model exactly once
     * @throws IllegalStateException if a parameter of the model has no PyTorch name, or a name here
     *     no parameter (the model and this layout have diverged)
     */
    public static List<Tensor> of(Seq2SeqTransformer model) {
        Map<String, Parameter> ours = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            ours.put(ORDER_PREFIX.matcher(p.getKey()).replaceAll("$1"), p.getValue());
        }
        Tensors tensors = new Tensors(ours);
        TransformerConfig config = model.getConfig();
        if (config.shareEmbeddings()) {
            tensors.add("embed.weight", "embedding_weight");
        } else {
            tensors.add("src_embed.weight", "sourceEmbedding_weight");
            tensors.add("tgt_embed.weight", "targetEmbedding_weight");
        }
        for (int i = 0; i < config.encoderLayers(); i++) {
            tensors.layer("encoder", i, false);
        }
        tensors.finalNorm("encoder", config);
        for (int i = 0; i < config.decoderLayers(); i++) {
            tensors.layer("decoder", i, true);
        }
        tensors.finalNorm("decoder", config);
        if (!config.tieOutputEmbedding()) {
            tensors.linear("projection", "generator");
        }
        if (!ours.isEmpty()) {
            throw new IllegalStateException(
                    "parameters without a PyTorch name in TorchLayout: " + ours.keySet());
        }
        return tensors.list;
    }

    /** Collects tensors, taking each parameter out of the map of those not yet named. */
    private static final class Tensors {
        private final Map<String, Parameter> ours;
        private final List<Tensor> list = new ArrayList<>();

        Tensors(Map<String, Parameter> ours) {
            this.ours = ours;
        }

        void add(String torch, String... parts) {
            List<Parameter> parameters = new ArrayList<>();
            for (String part : parts) {
                Parameter p = ours.remove(part);
                if (p == null) {
                    throw new IllegalStateException(
                            "TorchLayout names a parameter the model does not have: " + part);
                }
                parameters.add(p);
            }
            list.add(new Tensor(torch, List.copyOf(parameters)));
        }

        /** One encoder or decoder layer: {@code ours} is e.g. encoder_layer0. */
        void layer(String stack, int index, boolean decoder) {
            String ours = stack + "_layer" + index + "_";
            String torch = "transformer." + stack + ".layers." + index + ".";
            attention(ours + "selfAttention", torch + "self_attn", false);
            if (decoder) {
                attention(ours + "crossAttention", torch + "multihead_attn", true);
            }
            linear(ours + "feedForward_expand", torch + "linear1");
            linear(ours + "feedForward_contract", torch + "linear2");
            norm(ours + "selfAttentionNorm_norm", torch + "norm1");
            if (decoder) {
                norm(ours + "crossAttentionNorm_norm", torch + "norm2");
            }
            norm(ours + "feedForwardNorm_norm", torch + (decoder ? "norm3" : "norm2"));
        }

        /** Our in-projection is torch's, stacked alike; cross-attention's is Q then K | V. */
        void attention(String ours, String torch, boolean cross) {
            String p = ours + "_";
            if (cross) {
                add(
                        torch + ".in_proj_weight",
                        p + AttentionLayout.QUERY_WEIGHT,
                        p + AttentionLayout.KEY_VALUE_WEIGHT);
                add(
                        torch + ".in_proj_bias",
                        p + AttentionLayout.QUERY_BIAS,
                        p + AttentionLayout.KEY_VALUE_BIAS);
            } else {
                add(torch + ".in_proj_weight", p + AttentionLayout.IN_PROJECTION_WEIGHT);
                add(torch + ".in_proj_bias", p + AttentionLayout.IN_PROJECTION_BIAS);
            }
            linear(p + AttentionLayout.OUTPUT, torch + ".out_proj");
        }

        void linear(String ours, String torch) {
            add(torch + ".weight", ours + "_weight");
            add(torch + ".bias", ours + "_bias");
        }

        void norm(String ours, String torch) {
            add(torch + ".weight", ours + "_gamma");
            add(torch + ".bias", ours + "_beta");
        }

        void finalNorm(String stack, TransformerConfig config) {
            if (config.normPlacement() == NormPlacement.PRE) {
                norm(stack + "_finalNorm", "transformer." + stack + ".norm");
            }
        }
    }
}
