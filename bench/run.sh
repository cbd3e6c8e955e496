#!/usr/bin/env bash
# The one command: builds the library, runs the Java benchmark (base-cpu) and the PyTorch peer
# back to back on this machine, in fp32 and in bf16 mixed precision (ours --precision bf16, the
# peer under torch.autocast("cpu", torch.bfloat16)), alternating ours and the peer, and prints the
# ratios.
#
#   bench/run.sh                        quick run (about ten minutes: four reports)
#   bench/run.sh --memory-steps 2000    also the resident-memory growth check (step 100 → 2000)
#   PRECISIONS=fp32 bench/run.sh        fp32 only (the two reports of before)
#
# On a CPU without avx512_bf16/amx_bf16 ours falls back to fp32 (its report says "precision fp32")
# while the peer's autocast still runs bf16, emulated.
#
# Extra flags go to the bench command (io.github.djlseq2seq.bench.BenchCommand; `bench/run.sh
# --help` lists them); a subcommand first (`bench/run.sh scaling`, `training`, `decoding`,
# `tokenizer`, `data`) runs that benchmark alone, without the peer. JAVA_OPTS is passed to the JVM
# (default: a fixed, pre-touched 256 MiB heap, so that the heap filling up in the first few
# hundred steps is not counted as memory growth); PEER_ARGS to bench/pytorch_peer.py. OMP_WAIT_POLICY=PASSIVE keeps both sides usable when other processes
# share the cores (bench/README.md, "Threads and noise"). The peer needs Debian's python3-torch:
#   apt-get install -y python3-torch libopenblas0-openmp
set -euo pipefail
cd "$(dirname "$0")/.."

out_dir=target/bench
mkdir -p "$out_dir"
ours="$out_dir/ours.txt" # fp32
peer="$out_dir/peer.txt" # fp32
ours_bf16="$out_dir/ours-bf16.txt"
peer_bf16="$out_dir/peer-bf16.txt"
precisions=${PRECISIONS:-fp32 bf16}

echo "== build"
# one reactor run: the library and the examples are built first, and the classpath (written by
# each module into its own target/) names their freshly built jars, never a stale installed copy
mvn -B -q -pl bench -am package -DskipTests \
    dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
classpath="bench/target/classes:$(cat bench/target/classpath.txt)"
main=io.github.djlseq2seq.bench.BenchCommand
# shellcheck disable=SC2206
jvm=(${JAVA_OPTS:--Xms256m -Xmx256m -XX:+AlwaysPreTouch} -Dai.djl.offline=true
    -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$classpath")

case "${1:-}" in
    training | decoding | scaling | tokenizer | data | -h | --help)
        exec java "${jvm[@]}" "$main" "$@" ;;
esac

have_peer=true
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    echo "python3-torch is missing: apt-get install -y python3-torch libopenblas0-openmp"
    have_peer=false
fi
for report in "$ours" "$peer" "$ours_bf16" "$peer_bf16"; do
    : >"$report" # no stale figures in the ratios
done
for precision in $precisions; do
    if [[ $precision == fp32 ]]; then
        o=$ours p=$peer autocast=none extra=()
    else
        # the matmul bound is measured once, in the fp32 reports
        o=$ours_bf16 p=$peer_bf16 autocast=bf16 extra=(--skip-matmul)
    fi
    echo "== ours $precision: djl-seq2seq on DJL (java -cp … $main --precision $precision $*)"
    echo "   OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-<unset>}"
    java "${jvm[@]}" "$main" --precision "$precision" "${extra[@]}" "$@" | tee "$o"
    echo "== peer $precision: torch.nn.Transformer (/usr/bin/python3 bench/pytorch_peer.py" \
        "--autocast $autocast ${PEER_ARGS:-})"
    if $have_peer; then
        # shellcheck disable=SC2086
        /usr/bin/python3 bench/pytorch_peer.py --threads 2 --autocast "$autocast" \
            "${extra[@]}" ${PEER_ARGS:-} | tee "$p"
    else
        : >"$p"
    fi
done

# value FILE KEY: the number after KEY in a report, empty when absent
value() { awk -v key="$2" '$1 == key { print $2; exit }' "$1"; }

# ratio NAME OURS_FILE OURS_KEY PEER_FILE PEER_KEY
ratio() {
    local a b
    a=$(value "$2" "$3")
    b=$(value "$4" "$5")
    if [[ "$a" =~ ^[0-9.]+$ && "$b" =~ ^[0-9.]+$ ]]; then
        awk -v n="$1" -v a="$a" -v b="$b" 'BEGIN { printf "%-44s %8.2f   (%s / %s)\n", n, a / b, a, b }'
    else
        printf "%-44s %8s\n" "$1" "n/a"
    fi
}

echo "== ours / peer"
ratio "training tokens/s, ours fp32 / peer fp32" "$ours" train_tokens_per_s "$peer" train_tokens_per_s
ratio "training tokens/s, ours bf16 / peer fp32" \
    "$ours_bf16" train_tokens_per_s "$peer" train_tokens_per_s
ratio "training tokens/s, ours bf16 / peer bf16" \
    "$ours_bf16" train_tokens_per_s "$peer_bf16" train_tokens_per_s
ratio "training tokens/s, ours bf16 / ours fp32" \
    "$ours_bf16" train_tokens_per_s "$ours" train_tokens_per_s
ratio "training tokens/s, peer bf16 / peer fp32" \
    "$peer_bf16" train_tokens_per_s "$peer" train_tokens_per_s
ratio "matmul GFLOP/s (libtorch 2.7.1 / Debian torch)" "$ours" matmul_gflops "$peer" matmul_gflops
for n in 16 64 128; do
    ratio "greedy decoding L=$n, ours cached / peer" \
        "$ours" "decode_cached_L${n}_tokens_per_s" "$peer" "decode_recompute_L${n}_tokens_per_s"
    ratio "greedy decoding L=$n, ours recompute / peer" \
        "$ours" "decode_recompute_L${n}_tokens_per_s" "$peer" "decode_recompute_L${n}_tokens_per_s"
done
for n in 16 64 128; do
    ratio "greedy L=$n cached, ours bf16 / ours fp32" \
        "$ours_bf16" "decode_cached_L${n}_tokens_per_s" "$ours" "decode_cached_L${n}_tokens_per_s"
    ratio "greedy L=$n, ours bf16 cached / peer bf16" \
        "$ours_bf16" "decode_cached_L${n}_tokens_per_s" \
        "$peer_bf16" "decode_recompute_L${n}_tokens_per_s"
done
ratio "ours: cached / recompute at L=128" \
    "$ours" decode_cached_L128_tokens_per_s "$ours" decode_recompute_L128_tokens_per_s
echo "== ours vs the hardware bound"
printf "%-44s %8s\n" "training GFLOP/s / 1024³ matmul GFLOP/s" \
    "$(value "$ours" train_matmul_fraction || true)"
echo "(reports kept in $out_dir/)"
