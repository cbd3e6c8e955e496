"""Writes the PyTorch reference fixtures that core's Reference*Test classes compare against.

Run once, from the repository root, when the math under test changes on purpose:

    /usr/bin/python3 core/src/test/python/make_reference_fixtures.py

It needs Debian's PyTorch (`apt-get install -y python3-torch libopenblas0-openmp`, torch 1.13),
run with Debian's own /usr/bin/python3. CI does not run it: the fixtures it writes to
core/src/test/resources/io/github/djlseq2seq/reference/ are committed, so the Java tests need no
Python. The script is deterministic; rerunning it rewrites the same files.

Fixtures stay small: weights and inputs are not stored but generated on both sides from a
(seed, scale, offset) triple by SplitMix64 (`uniform` below, mirrored by
io.github.djlseq2seq.ReferenceFixtures in the test sources), then rounded to float32, which both
sides do identically. Only ids, hyper-parameters and the expected outputs (float64, printed
with repr) are written. The references compute in float64 from the float32-rounded values.
"""

import json
import math
import os
import re

import torch
import torch.nn.functional as F

torch.set_num_threads(2)

OUT = os.path.join("core", "src", "test", "resources", "io", "github", "djlseq2seq", "reference")
MASK64 = (1 << 64) - 1


def mix(z):
    """SplitMix64's output function: a bijective scramble of 64 bits."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def uniform(seed, count):
    """count doubles in [-1, 1) from SplitMix64 started at mix(seed) (the same on the Java side)."""
    values = []
    state = mix(seed)
    for _ in range(count):
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        values.append(2.0 * ((mix(state) >> 11) * 2.0**-53) - 1.0)
    return values


class Generated:
    """Hands out generated float32-rounded tensors (as float64) and records their recipes."""

    def __init__(self, first_seed):
        self.seed = first_seed

    def make(self, shape, scale, offset=0.0):
        seed = self.seed
        self.seed += 1
        count = math.prod(shape)
        data = [offset + scale * u for u in uniform(seed, count)]
        tensor = torch.tensor(data, dtype=torch.float64).reshape(shape)
        tensor = tensor.float().double()  # the float32 the Java side holds
        recipe = {"shape": list(shape), "seed": seed, "scale": scale}
        if offset:
            recipe["offset"] = offset
        return tensor, recipe


def values(tensor):
    return {"shape": list(tensor.shape), "data": [float(v) for v in tensor.flatten().tolist()]}


def write(name, fixture):
    fixture = {
        "generator": "core/src/test/python/make_reference_fixtures.py",
        "torch": torch.__version__,
        **fixture,
    }
    path = os.path.join(OUT, name)
    text = json.dumps(fixture, indent=1)
    # lists of numbers on one line each: readable, and a few KB per file
    text = re.sub(r"\[[-0-9.e,\s]*\]", lambda m: re.sub(r"\s+", "", m.group(0)), text)
    # and each array recipe or value ({"shape": …}) on one line
    text = re.sub(r'\{\s*"shape"[^{}]*\}', lambda m: re.sub(r"\s*\n\s*", " ", m.group(0)), text)
    text = text.replace(",", ", ").replace(",  ", ", ").replace(", \n", ",\n")
    with open(path, "w") as f:
        f.write(text + "\n")
    print(path, os.path.getsize(path), "bytes")


def padding(lengths, width):
    """[B, width] bool, True at PAD positions."""
    return torch.tensor([[t >= n for t in range(width)] for n in lengths])


# ---------------------------------------------------------------- attention


def linear(gen, params, name, units, fan_in):
    w, params[name + "_weight"] = gen.make([units, fan_in], 1.5 / math.sqrt(fan_in))
    b, params[name + "_bias"] = gen.make([units], 0.2)
    return w, b


def attention_weights(gen, params, prefix, d):
    """Our MultiHeadAttention's children, in DJL's order: 01query 02key 03value 04output."""
    return [linear(gen, params, prefix + child, d, d) for child in
            ("01query", "02key", "03value", "04output")]


def attention(x, memory, weights, heads, blocked):
    """Explicit multi-head attention; blocked [B|1, 1|H, T, S] bool, True = not attended."""
    (wq, bq), (wk, bk), (wv, bv), (wo, bo) = weights
    b, t, d = x.shape
    s = memory.shape[1]
    dh = d // heads
    q = F.linear(x, wq, bq).reshape(b, t, heads, dh).transpose(1, 2)  # [B, H, T, Dh]
    k = F.linear(memory, wk, bk).reshape(b, s, heads, dh).transpose(1, 2)  # [B, H, S, Dh]
    v = F.linear(memory, wv, bv).reshape(b, s, heads, dh).transpose(1, 2)  # [B, H, S, Dh]
    scores = q @ k.transpose(2, 3) / math.sqrt(dh)  # [B, H, T, S]
    scores = scores.masked_fill(blocked, float("-inf"))
    context = torch.softmax(scores, -1) @ v  # [B, H, T, Dh]
    return F.linear(context.transpose(1, 2).reshape(b, t, d), wo, bo)


def torch_mha(x, memory, weights, heads, key_padding, causal):
    """The same through torch.nn.MultiheadAttention, as an independent check of `attention`."""
    (wq, bq), (wk, bk), (wv, bv), (wo, bo) = weights
    d = x.shape[-1]
    mha = torch.nn.MultiheadAttention(d, heads, batch_first=True, dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([wq, wk, wv]))
        mha.in_proj_bias.copy_(torch.cat([bq, bk, bv]))
        mha.out_proj.weight.copy_(wo)
        mha.out_proj.bias.copy_(bo)
    mha.train()  # keeps to the documented (non-fused) path
    with torch.no_grad():
        out, _ = mha(x, memory, memory, key_padding_mask=key_padding, attn_mask=causal,
                     need_weights=False)
    return out


def attention_fixture():
    d, heads = 16, 2
    cases = []
    gen = Generated(100)
    # cross-attention: 3 queries over 5 keys, the second row's last 2 keys are PAD
    params = {}
    weights = attention_weights(gen, params, "", d)
    x, x_recipe = gen.make([2, 3, d], 1.0)
    memory, memory_recipe = gen.make([2, 5, d], 1.0)
    lengths = [5, 3]
    key_padding = padding(lengths, 5)
    expected = attention(x, memory, weights, heads, key_padding[:, None, None, :])
    check = torch_mha(x, memory, weights, heads, key_padding, None)
    assert torch.allclose(expected, check, atol=1e-12), (expected - check).abs().max()
    cases.append({"name": "cross attention, key padding", "parameters": params,
                  "query": x_recipe, "memory": memory_recipe, "keyLengths": lengths,
                  "causal": False, "output": values(expected)})
    # self-attention: 4 positions, look-ahead mask, the second row's last 2 positions PAD
    params = {}
    weights = attention_weights(gen, params, "", d)
    x, x_recipe = gen.make([2, 4, d], 1.0)
    lengths = [4, 2]
    key_padding = padding(lengths, 4)
    causal = torch.ones(4, 4, dtype=torch.bool).triu(1)
    expected = attention(x, x, weights, heads, key_padding[:, None, None, :] | causal)
    check = torch_mha(x, x, weights, heads, key_padding, causal)
    assert torch.allclose(expected, check, atol=1e-12), (expected - check).abs().max()
    cases.append({"name": "self-attention, causal and key padding", "parameters": params,
                  "query": x_recipe, "keyLengths": lengths, "causal": True,
                  "output": values(expected)})
    write("attention.json", {"modelDim": d, "numHeads": heads, "cases": cases})


# ---------------------------------------------------------------- full model


def layer_norm(gen, params, name, d):
    gamma, params[name + "_gamma"] = gen.make([d], 0.2, 1.0)
    beta, params[name + "_beta"] = gen.make([d], 0.2)
    return lambda x: F.layer_norm(x, (d,), gamma, beta, eps=1e-5)


def feed_forward(gen, params, name, d, f):
    w1, b1 = linear(gen, params, name + "_01expand", f, d)
    w2, b2 = linear(gen, params, name + "_02contract", d, f)
    return lambda x: F.linear(torch.relu(F.linear(x, w1, b1)), w2, b2)


def sublayer(norm, pre):
    """POST: LayerNorm(x + f(x)); PRE: x + f(LayerNorm(x)) (our SublayerConnection)."""
    if pre:
        return lambda x, f: x + f(norm(x))
    return lambda x, f: norm(x + f(x))


def encoder_layer(gen, params, name, c):
    d, pre = c["modelDim"], c["pre"]
    self_attention = attention_weights(gen, params, name + "_01selfAttention_", d)
    self_connection = sublayer(layer_norm(gen, params, name + "_02selfAttentionNorm_01norm", d), pre)
    ff = feed_forward(gen, params, name + "_03feedForward", d, c["feedForwardDim"])
    ff_connection = sublayer(layer_norm(gen, params, name + "_04feedForwardNorm_01norm", d), pre)

    def forward(x, blocked):
        x = self_connection(x, lambda h: attention(h, h, self_attention, c["numHeads"], blocked))
        return ff_connection(x, ff)

    return forward


def decoder_layer(gen, params, name, c):
    d, pre = c["modelDim"], c["pre"]
    self_attention = attention_weights(gen, params, name + "_01selfAttention_", d)
    self_connection = sublayer(layer_norm(gen, params, name + "_02selfAttentionNorm_01norm", d), pre)
    cross_attention = attention_weights(gen, params, name + "_03crossAttention_", d)
    cross_connection = sublayer(
        layer_norm(gen, params, name + "_04crossAttentionNorm_01norm", d), pre)
    ff = feed_forward(gen, params, name + "_05feedForward", d, c["feedForwardDim"])
    ff_connection = sublayer(layer_norm(gen, params, name + "_06feedForwardNorm_01norm", d), pre)
    heads = c["numHeads"]

    def forward(y, memory, self_blocked, cross_blocked):
        y = self_connection(y, lambda h: attention(h, h, self_attention, heads, self_blocked))
        y = cross_connection(y, lambda h: attention(h, memory, cross_attention, heads,
                                                    cross_blocked))
        return ff_connection(y, ff)

    return forward


def layer_stack(gen, params, name, c, count, make_layer):
    """Our LayerStack: layers 01layer0 …, then (pre-norm only) a final LayerNorm."""
    layers = [make_layer(gen, params, f"{name}_{i + 1:02d}layer{i}", c) for i in range(count)]
    final = (layer_norm(gen, params, f"{name}_{count + 1:02d}finalNorm", c["modelDim"])
             if c["pre"] else (lambda x: x))

    def forward(x, *rest):
        for layer in layers:
            x = layer(x, *rest)
        return final(x)

    return forward


def sinusoid(length, d):
    """PE(p, 2i) = sin(p / 10000^(2i/d)), PE(p, 2i+1) = cos(p / 10000^(2i/d)); [T, D]."""
    position = torch.arange(length, dtype=torch.float64)[:, None]
    frequency = torch.exp(torch.arange(0, d, 2, dtype=torch.float64) * (-math.log(10000.0) / d))
    angle = position * frequency  # [T, D/2]
    return torch.stack([angle.sin(), angle.cos()], 2).reshape(length, d)


def model_fixture(file, c, source, target):
    """Our Seq2SeqTransformer with dropout 0, mirrored child by child (DJL's numbered names)."""
    gen = Generated(1000)
    params = {}
    d = c["modelDim"]
    children = ["embedding"] if c["share"] else ["sourceEmbedding", "targetEmbedding"]
    children += ["encoder", "decoder"]
    name = {child: f"{i + 1:02d}{child}" for i, child in enumerate(children + ["projection"])}
    source_table, params[name[children[0]] + "_weight"] = gen.make(
        [c["sourceVocab"], d], d**-0.5)
    target_table = source_table
    if not c["share"]:
        target_table, params[name["targetEmbedding"] + "_weight"] = gen.make(
            [c["targetVocab"], d], d**-0.5)
    encoder = layer_stack(gen, params, name["encoder"], c, c["encoderLayers"], encoder_layer)
    decoder = layer_stack(gen, params, name["decoder"], c, c["decoderLayers"], decoder_layer)
    if c["tie"]:
        projection = lambda h: h @ target_table.T  # noqa: E731
    else:
        w, params[name["projection"] + "_weight"] = gen.make([c["targetVocab"], d], d**-0.5)
        b, params[name["projection"] + "_bias"] = gen.make([c["targetVocab"]], 0.2)
        projection = lambda h: F.linear(h, w, b)  # noqa: E731

    src = torch.tensor(source)
    tgt = torch.tensor(target)
    pad = 0

    def embed(table, ids):  # √d scaling, then positions from 0
        return table[ids] * math.sqrt(d) + sinusoid(ids.shape[1], d)

    source_blocked = (src == pad)[:, None, None, :]  # [B, 1, 1, S]
    t = tgt.shape[1]
    causal = torch.ones(t, t, dtype=torch.bool).triu(1)
    target_blocked = (tgt == pad)[:, None, None, :] | causal  # [B, 1, T, T]
    memory = encoder(embed(source_table, src), source_blocked)
    hidden = decoder(embed(target_table, tgt), memory, target_blocked, source_blocked)
    logits = projection(hidden)
    write(file, {"config": c, "parameters": params, "sourceIds": source, "decoderInputIds": target,
                 "logits": values(logits)})


def model_fixtures():
    base = {"modelDim": 16, "numHeads": 2, "feedForwardDim": 32}
    source = [[1, 7, 4, 9, 3, 2], [1, 5, 8, 2, 0, 0]]  # START … END PAD
    target = [[1, 6, 10, 4, 5], [1, 9, 3, 0, 0]]  # START … PAD
    model_fixture("model-post-norm.json",
                  {**base, "pre": False, "encoderLayers": 2, "decoderLayers": 2,
                   "sourceVocab": 11, "targetVocab": 13, "share": False, "tie": False},
                  source, target)
    model_fixture("model-pre-norm.json",
                  {**base, "pre": True, "encoderLayers": 1, "decoderLayers": 2,
                   "sourceVocab": 12, "targetVocab": 12, "share": True, "tie": True},
                  source, target)


# ---------------------------------------------------------------- optimizer, clipping, loss


def adam_fixture():
    lr, betas, eps = 0.01, (0.9, 0.98), 1e-9
    gen = Generated(5000)
    weight, weight_recipe = gen.make([3, 4], 1.0)
    grads = [gen.make([3, 4], scale) for scale in (1.0, 0.01, 3.0)]
    p = torch.nn.Parameter(weight.clone())
    adam = torch.optim.Adam([p], lr=lr, betas=betas, eps=eps)
    after = []
    for grad, _ in grads:
        p.grad = grad.clone()
        adam.step()
        after.append(values(p.detach()))
    write("adam.json", {"learningRate": lr, "beta1": betas[0], "beta2": betas[1], "epsilon": eps,
                        "weight": weight_recipe, "gradients": [r for _, r in grads],
                        "weightsAfterStep": after})


def clipping_fixture():
    """clip_grad_norm_ over two parameters, then Adam, for 3 steps of different norms."""
    lr, betas, eps, max_norm = 0.01, (0.9, 0.98), 1e-9, 1.0
    gen = Generated(6000)
    shapes = [[4], [2, 3]]
    initial = [gen.make(shape, 1.0) for shape in shapes]
    params = [torch.nn.Parameter(w.clone()) for w, _ in initial]
    adam = torch.optim.Adam(params, lr=lr, betas=betas, eps=eps)
    steps = []
    for scale in (0.1, 5.0, 20.0):
        grads = [gen.make(shape, scale) for shape in shapes]
        for p, (g, _) in zip(params, grads):
            p.grad = g.clone()
        norm = float(torch.nn.utils.clip_grad_norm_(params, max_norm))
        adam.step()
        steps.append({"gradients": [r for _, r in grads], "totalNorm": norm,
                      "clipScale": min(1.0, max_norm / (norm + 1e-6)),
                      "weightsAfter": [values(p.detach()) for p in params]})
    write("clipping.json", {"learningRate": lr, "beta1": betas[0], "beta2": betas[1],
                            "epsilon": eps, "maxNorm": max_norm,
                            "weights": [r for _, r in initial], "steps": steps})


def loss_fixture():
    gen = Generated(7000)
    logits, recipe = gen.make([2, 4, 7], 3.0)
    target = [[3, 1, 6, 2], [5, 4, 0, 0]]  # PAD = 0 at the end of the second row
    flat_logits = logits.reshape(-1, 7)
    flat_target = torch.tensor(target).reshape(-1)

    def ce(reduction, smoothing):
        return float(F.cross_entropy(flat_logits, flat_target, reduction=reduction,
                                     label_smoothing=smoothing, ignore_index=0))

    write("cross-entropy.json", {"logits": recipe, "target": target, "padId": 0,
                                 "labelSmoothing": 0.1, "mean": ce("mean", 0.1),
                                 "sum": ce("sum", 0.1), "meanWithoutSmoothing": ce("mean", 0.0)})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    attention_fixture()
    model_fixtures()
    adam_fixture()
    clipping_fixture()
    loss_fixture()
