"""djl-seq2seq's Transformer as a PyTorch module, to move weights between the two with safetensors.

A model exported by djl-seq2seq with ``export --format safetensors`` is a directory holding
``model.safetensors``, ``config.json`` (the Java ``TransformerConfig``, camelCase keys) and
``tokenizer.json``. This module builds the same network on ``torch.nn.Transformer`` and loads the
file with ``load_state_dict(strict=True)``:

    from djl_seq2seq_torch import Seq2SeqTransformer
    model = Seq2SeqTransformer.from_pretrained("bible-en-es")     # eval mode
    logits = model(source_ids, decoder_input_ids)                  # [B, T, V]

and the other way round, a model trained here is written for djl-seq2seq with

    model.save_pretrained("my-model")   # model.safetensors + config.json; add a tokenizer.json
    # java -jar djl-seq2seq-examples.jar translate --model my-model

Only the standard library and torch are needed (the safetensors format is read and written here;
files from the ``safetensors`` package load too). Tested with torch 1.13 (Debian's python3-torch)
by core/src/test/python/make_torch_parity_fixtures.py, whose fixtures the Java tests compare with.

The network, exactly as djl-seq2seq computes it (ids are int64, PAD = 0):

* embeddings: ``E[ids] * sqrt(D) + PE``, with the sinusoidal encoding of "Attention Is All You
  Need" interleaved (``PE[p, 2i] = sin(p / 10000^(2i/D))``, ``PE[p, 2i+1] = cos(...)``), a
  non-persistent buffer; the source and target share one matrix (``embed``) when
  ``shareEmbeddings``;
* ``torch.nn.Transformer`` with ``batch_first=True``, ReLU, LayerNorm eps 1e-5, ``norm_first`` for
  ``normPlacement == "PRE"``; its final encoder and decoder norms exist only for PRE (djl-seq2seq's
  post-norm stacks end with the last layer's own norm), so for POST they are removed;
* masks: PAD source positions are blocked as keys of the encoder self-attention and of the
  cross-attention, PAD target positions as keys of the decoder self-attention, and the decoder
  self-attention is causal;
* output projection ``generator`` (weight [V, D] and bias), or, with ``tieOutputEmbedding``, the
  target embedding matrix without bias.

Parameter names (the keys of model.safetensors), for layer i:

    src_embed.weight, tgt_embed.weight  (or embed.weight when shared)
    transformer.encoder.layers.i.self_attn.{in_proj_weight [3D, D], in_proj_bias, out_proj.*}
    transformer.encoder.layers.i.{linear1, linear2, norm1, norm2}.{weight, bias}
    transformer.decoder.layers.i.{self_attn, multihead_attn}.{in_proj_weight, in_proj_bias,
        out_proj.*}
    transformer.decoder.layers.i.{linear1, linear2, norm1, norm2, norm3}.{weight, bias}
    transformer.{encoder, decoder}.norm.{weight, bias}   (PRE only)
    generator.{weight, bias}                              (untied only)
"""

import json
import math
import os
import struct

import torch
from torch import nn
import torch.nn.functional as F

PAD_ID = 0
WEIGHTS = "model.safetensors"
CONFIG = "config.json"

_DTYPES = {
    "F64": torch.float64,
    "F32": torch.float32,
    "F16": torch.float16,
    "BF16": torch.bfloat16,
    "I64": torch.int64,
    "I32": torch.int32,
}
_NAMES = {v: k for k, v in _DTYPES.items()}


def sinusoid(length, dim):
    """The interleaved sinusoidal positional encoding [length, dim] (float32)."""
    position = torch.arange(length, dtype=torch.float32).unsqueeze(1)  # [T, 1]
    inverse_frequency = torch.exp(
        torch.arange(0, dim, 2, dtype=torch.float32) * (-math.log(10000.0) / dim)
    )  # [D/2]
    angle = position * inverse_frequency  # [T, D/2]
    return torch.stack((angle.sin(), angle.cos()), dim=2).reshape(length, dim)


class Seq2SeqTransformer(nn.Module):
    """djl-seq2seq's encoder-decoder on torch.nn.Transformer; see the module documentation."""

    def __init__(self, config):
        """Builds the network from a djl-seq2seq config.json dictionary (camelCase keys)."""
        super().__init__()
        self.config = dict(config)
        d = config["modelDim"]
        pre = config["normPlacement"] == "PRE"
        self.model_dim = d
        self.tied = bool(config["tieOutputEmbedding"])
        if config["shareEmbeddings"]:
            self.embed = nn.Embedding(config["sourceVocabSize"], d)
        else:
            self.src_embed = nn.Embedding(config["sourceVocabSize"], d)
            self.tgt_embed = nn.Embedding(config["targetVocabSize"], d)
        self.register_buffer("positions", sinusoid(config["maxLength"], d), persistent=False)
        self.transformer = nn.Transformer(
            d_model=d,
            nhead=config["numHeads"],
            num_encoder_layers=config["encoderLayers"],
            num_decoder_layers=config["decoderLayers"],
            dim_feedforward=config["feedForwardDim"],
            dropout=config["dropout"],
            batch_first=True,
            norm_first=pre,
        )
        # the nested-tensor fast path returns zeros at padded positions; keep every position
        self.transformer.encoder.enable_nested_tensor = False
        if not pre:
            self.transformer.encoder.norm = None
            self.transformer.decoder.norm = None
        if not self.tied:
            self.generator = nn.Linear(d, config["targetVocabSize"])

    def source_embedding(self):
        """The source embedding module."""
        return self.embed if hasattr(self, "embed") else self.src_embed

    def target_embedding(self):
        """The target embedding module."""
        return self.embed if hasattr(self, "embed") else self.tgt_embed

    def _embed(self, embedding, ids):
        x = embedding(ids) * math.sqrt(self.model_dim)  # [B, T, D]
        return x + self.positions[: ids.shape[1]].to(x.dtype)

    def forward(self, source_ids, decoder_input_ids):
        """Teacher-forced logits [B, T, V] for source ids [B, S] and decoder inputs [B, T]."""
        source_pad = source_ids.eq(PAD_ID)  # [B, S], True = blocked
        target_pad = decoder_input_ids.eq(PAD_ID)  # [B, T]
        length = decoder_input_ids.shape[1]
        causal = torch.triu(
            torch.ones(length, length, dtype=torch.bool, device=source_ids.device), 1
        )  # [T, T], True above the diagonal
        h = self.transformer(
            self._embed(self.source_embedding(), source_ids),
            self._embed(self.target_embedding(), decoder_input_ids),
            tgt_mask=causal,
            src_key_padding_mask=source_pad,
            tgt_key_padding_mask=target_pad,
            memory_key_padding_mask=source_pad,
        )  # [B, T, D]
        if self.tied:
            return F.linear(h, self.target_embedding().weight)
        return self.generator(h)

    @classmethod
    def from_pretrained(cls, directory):
        """Loads config.json and model.safetensors (strict) from a djl-seq2seq export."""
        with open(os.path.join(directory, CONFIG), encoding="utf-8") as f:
            model = cls(json.load(f))
        model.load_state_dict(load_safetensors(os.path.join(directory, WEIGHTS)), strict=True)
        return model.eval()

    def save_pretrained(self, directory):
        """Writes config.json and model.safetensors (float32) that djl-seq2seq loads."""
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, CONFIG), "w", encoding="utf-8") as f:
            json.dump(self.config, f, indent=2)
        state = {k: v.float() for k, v in self.state_dict().items()}
        save_safetensors(state, os.path.join(directory, WEIGHTS))


def load_safetensors(path):
    """Reads a safetensors file into a dict of CPU tensors."""
    with open(path, "rb") as f:
        (header_length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_length).decode("utf-8"))
        data = f.read()
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        begin, end = spec["data_offsets"]
        dtype = _DTYPES[spec["dtype"]]
        flat = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype)
        tensors[name] = flat.reshape(spec["shape"]).clone()
    return tensors


def save_safetensors(tensors, path):
    """Writes a dict of tensors as safetensors (sorted names, header padded to 8 bytes)."""
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous()
        if t.dtype == torch.bfloat16:  # numpy has no bfloat16: write its bits
            t = t.view(torch.int16)
        blob = t.numpy().tobytes()
        header[name] = {
            "dtype": _NAMES[tensors[name].dtype],
            "shape": list(t.shape),
            "data_offsets": [offset, offset + len(blob)],
        }
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
