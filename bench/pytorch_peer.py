#!/usr/bin/python3
"""The PyTorch peer of djl-seq2seq's benchmark: base-cpu with torch.nn.Transformer.

Same model as io.github.djlseq2seq.bench.TrainingBenchmark: d 256, 4 heads, 3 + 3 layers,
feed-forward 1024, separate untied source/target vocabularies of 8000, dropout 0.1, post-norm
(norm_first=False, and no final LayerNorm after either stack, as ours), embeddings scaled by
sqrt(d) plus sinusoidal positions, an untied output Linear, CrossEntropyLoss (PAD 0 ignored),
Adam(betas 0.9/0.98, eps 1e-9) with the inverse-square-root schedule (peak 7e-4, warmup 4000).
Batch 32, source and target length 32, random ids, no padding.

Prints one "key value [note]" line per figure, with the keys of the Java report:
  train_ms_per_step, train_tokens_per_s      median of --steps timed steps after --warmup
  decode_recompute_L<n>_tokens_per_s         greedy, recompute-the-prefix loop, n = 16, 64, 128:
                                             a warm-up call, then the best of --decode-repeats,
                                             as io.github.djlseq2seq.bench.DecodingBenchmark

--autocast bf16 runs the forward passes (and the loss) under torch.autocast("cpu", torch.bfloat16),
the one line a PyTorch user adds for mixed precision: linear maps and matmuls in bf16, float32
parameters and optimizer; it prints "precision bf16" (else "precision fp32").

Run with Debian's python3-torch: /usr/bin/python3 bench/pytorch_peer.py [--threads 2] [--autocast bf16]
"""

import argparse
import math
import os
import statistics
import time

import torch
from torch import nn

PAD, START = 0, 2
FIRST_ID = 4  # after PAD, UNK, START, END


def sinusoid(length, dim):
    """PE(p, 2i) = sin(p / 10000^(2i/D)), PE(p, 2i+1) = cos(p / 10000^(2i/D)): [T, D]."""
    pos = torch.arange(length, dtype=torch.float32).unsqueeze(1)
    inv_freq = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * (-math.log(10000.0) / dim))
    angle = pos * inv_freq  # [T, D/2]
    return torch.stack([angle.sin(), angle.cos()], dim=2).reshape(length, dim)


class Seq2Seq(nn.Module):
    """Embeddings + nn.Transformer + output Linear, as a PyTorch user writes it."""

    def __init__(self, src_vocab=8000, tgt_vocab=8000, d=256, heads=4, enc_layers=3,
                 dec_layers=3, ff=1024, dropout=0.1, max_len=256):
        super().__init__()
        self.d = d
        self.src_embed = nn.Embedding(src_vocab, d)
        self.tgt_embed = nn.Embedding(tgt_vocab, d)
        nn.init.normal_(self.src_embed.weight, std=d ** -0.5)
        nn.init.normal_(self.tgt_embed.weight, std=d ** -0.5)
        self.register_buffer("pe", sinusoid(max_len, d))
        self.dropout = nn.Dropout(dropout)
        encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, ff, dropout, batch_first=True, norm_first=False),
            enc_layers, enable_nested_tensor=False)
        decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d, heads, ff, dropout, batch_first=True, norm_first=False),
            dec_layers)
        self.transformer = nn.Transformer(
            d, heads, custom_encoder=encoder, custom_decoder=decoder, batch_first=True)
        self.generator = nn.Linear(d, tgt_vocab)

    def embed(self, table, ids):
        return self.dropout(table(ids) * math.sqrt(self.d) + self.pe[: ids.size(1)])

    def forward(self, src, tgt_in):
        mask = nn.Transformer.generate_square_subsequent_mask(tgt_in.size(1))
        h = self.transformer(self.embed(self.src_embed, src), self.embed(self.tgt_embed, tgt_in),
                             tgt_mask=mask)
        return self.generator(h)  # [B, T, V]

    def encode(self, src):
        return self.transformer.encoder(self.embed(self.src_embed, src))

    def decode(self, memory, tgt_in):
        mask = nn.Transformer.generate_square_subsequent_mask(tgt_in.size(1))
        return self.transformer.decoder(self.embed(self.tgt_embed, tgt_in), memory, tgt_mask=mask)


class CpuShare:
    """The share of all CPUs' time that other processes used since creation (as CpuShare.java)."""

    def __init__(self):
        self.start = self._ticks()

    @staticmethod
    def _ticks():
        with open("/proc/stat") as f:
            cpu = [int(v) for v in f.readline().split()[1:9]]  # user … steal
        idle = cpu[3] + cpu[4]  # idle, iowait
        busy = sum(cpu) - idle
        t = os.times()
        own = round((t.user + t.system) * os.sysconf("SC_CLK_TCK"))
        return busy, busy + idle, own

    def others_percent(self):
        busy, total, own = (a - b for a, b in zip(self._ticks(), self.start))
        return 0.0 if total <= 0 else max(0.0, 100.0 * (busy - own) / total)

    def line(self, key):
        p = self.others_percent()
        line(key, f"{p:.1f}", "% of the CPUs used by other processes"
             + (": NOT REPRESENTATIVE" if p > 5 else ""))


def line(key, value, note=""):
    print(f"{key:<26} {value:<10} {note}".rstrip(), flush=True)


def matmul_gflops(n=1024, warmup=5, repeats=20):
    a = torch.rand(n, n) * 2 - 1
    b = torch.rand(n, n) * 2 - 1
    times = []
    for i in range(warmup + repeats):
        start = time.perf_counter()
        torch.mm(a, b)
        if i >= warmup:
            times.append(time.perf_counter() - start)
    return 2 * n ** 3 / statistics.median(times) / 1e9


def autocast(args):
    """torch.autocast("cpu", torch.bfloat16) with --autocast bf16, else a no-op context."""
    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.autocast == "bf16")


def train(model, args):
    gen = torch.Generator().manual_seed(7)
    shape = (args.batch, args.length)
    batches = [tuple(torch.randint(FIRST_ID, 8000, shape, generator=gen) for _ in range(3))
               for _ in range(8)]
    opt = torch.optim.Adam(model.parameters(), lr=7e-4, betas=(0.9, 0.98), eps=1e-9)
    warmup_steps = 4000
    schedule = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup_steps, math.sqrt(warmup_steps / (s + 1))))
    loss_fn = nn.CrossEntropyLoss(ignore_index=PAD)
    model.train()
    times, losses = [], []
    others = None
    for step in range(args.warmup + args.steps):
        if step == args.warmup:
            others = CpuShare()
        src, tgt_in, tgt_out = batches[step % len(batches)]
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        with autocast(args):
            logits = model(src, tgt_in)
            loss = loss_fn(logits.reshape(-1, logits.size(-1)), tgt_out.reshape(-1))
        loss.backward()
        opt.step()
        schedule.step()
        losses.append(loss.item())
        if step >= args.warmup:
            times.append(time.perf_counter() - start)
    others.line("train_others_cpu_pct")
    seconds = statistics.median(times)
    line("train_ms_per_step", f"{seconds * 1e3:.1f}", f"median of {args.steps} steps")
    line("train_tokens_per_s", f"{args.batch * args.length / seconds:.0f}",
         "target tokens (B×T per step)")
    line("train_loss_first_last", f"{losses[0]:.3f}", f"→ {losses[-1]:.3f}")


@torch.no_grad()
def greedy(model, src, length):
    """Greedy decoding that re-runs the decoder over the whole prefix for each new token."""
    memory = model.encode(src)
    ys = torch.full((src.size(0), 1), START, dtype=torch.long)
    for _ in range(length):
        h = model.decode(memory, ys)
        next_id = model.generator(h[:, -1]).argmax(-1, keepdim=True)
        ys = torch.cat([ys, next_id], dim=1)  # END is ignored: always `length` new tokens
    return ys[:, 1:]


def decode(model, args):
    model.eval()
    if args.autocast == "bf16":
        # torch 1.13's fused encoder-layer fast path (eval, no grad) rejects autocast's bf16
        # activations; this attribute only gates that path, the layers compute the same
        for layer in model.transformer.encoder.layers:
            layer.activation_relu_or_gelu = False
    src = torch.randint(FIRST_ID, 8000, (args.batch, args.length),
                        generator=torch.Generator().manual_seed(11))
    for length in args.decode_lengths:
        with autocast(args):
            greedy(model, src, length)  # warm-up, as DecodingBenchmark
        times = []
        for _ in range(args.decode_repeats):
            start = time.perf_counter()
            with autocast(args):
                out = greedy(model, src, length)
            times.append(time.perf_counter() - start)
            assert out.shape == (args.batch, length)
        # the fastest call, as DecodingBenchmark reports (the least disturbed by other processes)
        line(f"decode_recompute_L{length}_tokens_per_s",
             f"{args.batch * length / min(times):.0f}",
             f"greedy, recompute the prefix, best of {args.decode_repeats} "
             f"(median {args.batch * length / statistics.median(times):.0f})")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--length", type=int, default=32, help="source and target length")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--decode-lengths", type=int, nargs="*", default=[16, 64, 128])
    p.add_argument("--decode-repeats", type=int, default=3)
    p.add_argument("--skip-matmul", action="store_true")
    p.add_argument("--autocast", choices=["none", "bf16"], default="none",
                   help='bf16: torch.autocast("cpu", torch.bfloat16) around forward and loss')
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    line("engine", "torch", f"PyTorch {torch.__version__}, intra-op threads "
         f"{torch.get_num_threads()}, inter-op threads {torch.get_num_interop_threads()}")
    line("load_average_start", f"{os.getloadavg()[0]:.2f}", LOAD_NOTE)
    line("precision", "bf16" if args.autocast == "bf16" else "fp32",
         'torch.autocast("cpu", torch.bfloat16)' if args.autocast == "bf16" else "")
    if not args.skip_matmul:
        others = CpuShare()
        line("matmul_gflops", f"{matmul_gflops():.1f}", "1024³ float32, median of 20")
        others.line("matmul_others_cpu_pct")
    model = Seq2Seq()
    line("train_parameters", sum(p.numel() for p in model.parameters()))
    train(model, args)
    if args.decode_lengths:
        others = CpuShare()
        decode(model, args)
        others.line("decode_others_cpu_pct")
    line("load_average_end", f"{os.getloadavg()[0]:.2f}", LOAD_NOTE)


LOAD_NOTE = "1-min load; near 1 means the benchmark had the machine to itself"


if __name__ == "__main__":
    main()
