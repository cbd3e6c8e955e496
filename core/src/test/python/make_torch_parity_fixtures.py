"""Writes the torch.nn.Transformer parity fixtures that core's TorchParityTest compares against.

Run from the repository root, when python/djl_seq2seq_torch.py or the model's math changes on
purpose:

    /usr/bin/python3 core/src/test/python/make_torch_parity_fixtures.py

It needs Debian's PyTorch (python3-torch, torch 1.13) and nothing else. CI does not run it: the
fixtures are committed, so the Java tests need no Python. For each case (post-norm with separate
vocabularies and an untied projection; pre-norm with one shared, tied embedding) it builds the
documented module python/djl_seq2seq_torch.py, gives every parameter random values (norm gains
and biases included, so that a misplaced norm shows), and writes with save_pretrained the
directory djl-seq2seq imports (model.safetensors + config.json), plus parity.json: a padded batch
of source ids and decoder inputs and the module's logits, computed in float64 from the float32
weights. The script is deterministic (seeded).

To check that a model exported by djl-seq2seq (export --format safetensors) loads into the module
with load_state_dict(strict=True) and to print its logits for a small batch:

    /usr/bin/python3 core/src/test/python/make_torch_parity_fixtures.py --check EXPORT_DIR
"""

import json
import math
import os
import sys

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))

from djl_seq2seq_torch import Seq2SeqTransformer  # noqa: E402

torch.set_num_threads(2)

OUT = os.path.join(ROOT, "core", "src", "test", "resources", "io", "github", "djlseq2seq", "torch")

CASES = {
    "post-norm": {
        "sourceVocabSize": 11,
        "targetVocabSize": 13,
        "modelDim": 16,
        "numHeads": 4,
        "encoderLayers": 2,
        "decoderLayers": 2,
        "feedForwardDim": 24,
        "dropout": 0.0,
        "maxLength": 32,
        "padId": 0,
        "normPlacement": "POST",
        "tieOutputEmbedding": False,
        "shareEmbeddings": False,
    },
    "pre-norm": {
        "sourceVocabSize": 13,
        "targetVocabSize": 13,
        "modelDim": 16,
        "numHeads": 2,
        "encoderLayers": 2,
        "decoderLayers": 2,
        "feedForwardDim": 20,
        "dropout": 0.0,
        "maxLength": 32,
        "padId": 0,
        "normPlacement": "PRE",
        "tieOutputEmbedding": True,
        "shareEmbeddings": True,
    },
}

# a padded batch: row lengths differ on both sides, PAD = 0 at the end
SOURCE_LENGTHS = [7, 4, 5]
TARGET_LENGTHS = [6, 3, 5]


def randomize(model, generator):
    """Every parameter random: matrices ~ U(±1.5/sqrt(fan_in)), vectors around their init."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            u = torch.rand(p.shape, generator=generator) * 2 - 1
            if "embed" in name:
                p.copy_(u * math.sqrt(3.0 / p.shape[1]))
            elif p.dim() == 2:
                p.copy_(u * 1.5 / math.sqrt(p.shape[1]))
            elif "norm" in name and name.endswith("weight"):
                p.copy_(1 + 0.3 * u)
            else:
                p.copy_(0.2 * u)


def ids(generator, lengths, vocab):
    width = max(lengths)
    rows = []
    for n in lengths:
        row = torch.randint(1, vocab, (width,), generator=generator)
        row[n:] = 0
        rows.append(row)
    return torch.stack(rows)


def logits64(model, source, target):
    """The module's logits in float64, on the slow (reference) path: grad on, eval mode."""
    reference = Seq2SeqTransformer(model.config)
    reference.load_state_dict(model.state_dict(), strict=True)
    reference = reference.double().eval()
    with torch.enable_grad():  # keeps torch off its fused inference fast path
        return reference(source, target).detach()


def write_case(name, config, seed):
    generator = torch.Generator().manual_seed(seed)
    model = Seq2SeqTransformer(config).eval()
    randomize(model, generator)
    directory = os.path.join(OUT, name)
    model.save_pretrained(directory)
    # what djl-seq2seq will read: the float32 file, loaded back strictly
    loaded = Seq2SeqTransformer.from_pretrained(directory)
    source = ids(generator, SOURCE_LENGTHS, config["sourceVocabSize"])
    target = ids(generator, TARGET_LENGTHS, config["targetVocabSize"])
    logits = logits64(loaded, source, target)
    with torch.no_grad():
        fast = loaded(source, target).double()
    fixture = {
        "generator": "core/src/test/python/make_torch_parity_fixtures.py",
        "torch": torch.__version__,
        "module": "python/djl_seq2seq_torch.py",
        "sourceIds": source.tolist(),
        "decoderInputIds": target.tolist(),
        "logits": [[[float(v) for v in row] for row in sentence] for sentence in logits.tolist()],
    }
    with open(os.path.join(directory, "parity.json"), "w") as f:
        json.dump(fixture, f)
        f.write("\n")
    gap = (fast - logits).abs().max().item()
    print(name, "float32 inference vs float64 reference: max |diff|", gap)
    for file in sorted(os.listdir(directory)):
        print(" ", os.path.join(directory, file), os.path.getsize(os.path.join(directory, file)))


def check(directory):
    model = Seq2SeqTransformer.from_pretrained(directory)
    print("loaded", directory, "with load_state_dict(strict=True):",
          sum(p.numel() for p in model.parameters()), "parameters")
    source = torch.tensor([[1, 5, 6, 7, 2], [1, 8, 2, 0, 0]])
    target = torch.tensor([[1, 9, 10, 11], [1, 12, 0, 0]])
    with torch.no_grad():
        logits = model(source, target)
    print("logits[0, :, :5]", logits[0, :, :5])
    print("argmax", logits.argmax(-1).tolist())


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
        return
    for seed, (name, config) in enumerate(CASES.items(), start=15):
        write_case(name, config, seed)


if __name__ == "__main__":
    main()
