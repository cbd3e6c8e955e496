#!/usr/bin/env bash
# The one command: builds the library, runs the Java benchmark (base-cpu) and the PyTorch peer
# back to back on this machine, and prints ours/peer ratios.
#
#   bench/run.sh                        quick run (a few minutes)
#   bench/run.sh --memory-steps 2000    also the resident-memory growth check (step 100 → 2000)
#
# Extra flags go to io.github.djlseq2seq.bench.BenchmarkSuite (see BenchSettings). JAVA_OPTS is
# passed to the JVM (default: a fixed, pre-touched 256 MiB heap, so that the heap filling up in
# the first few hundred steps is not counted as memory growth); PEER_ARGS to
# bench/pytorch_peer.py. OMP_WAIT_POLICY=PASSIVE keeps both sides usable when other processes
# share the cores (bench/README.md, "Threads and noise"). The peer needs Debian's python3-torch:
#   apt-get install -y python3-torch libopenblas0-openmp
set -euo pipefail
cd "$(dirname "$0")/.."

out_dir=target/bench
mkdir -p "$out_dir"
ours="$out_dir/ours.txt"
peer="$out_dir/peer.txt"

echo "== build"
# the bench module and what it needs (core, examples), compiled in one reactor; each module writes
# its class path to its own target/classpath.txt
mvn -q -B -pl bench -am compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >/dev/null
classpath="bench/target/classes:$(cat bench/target/classpath.txt)"

echo "== ours: djl-seq2seq on DJL (java -cp … io.github.djlseq2seq.bench.BenchmarkSuite $*)"
echo "   OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-<unset>}"
# shellcheck disable=SC2086
java ${JAVA_OPTS:--Xms256m -Xmx256m -XX:+AlwaysPreTouch} -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
    -cp "$classpath" io.github.djlseq2seq.bench.BenchmarkSuite "$@" | tee "$ours"

echo "== peer: torch.nn.Transformer (/usr/bin/python3 bench/pytorch_peer.py ${PEER_ARGS:-})"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    # shellcheck disable=SC2086
    /usr/bin/python3 bench/pytorch_peer.py --threads 2 ${PEER_ARGS:-} | tee "$peer"
else
    echo "python3-torch is missing: apt-get install -y python3-torch libopenblas0-openmp"
    : >"$peer"
fi

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
ratio "training tokens/s" "$ours" train_tokens_per_s "$peer" train_tokens_per_s
ratio "matmul GFLOP/s (libtorch 2.7.1 / Debian torch)" "$ours" matmul_gflops "$peer" matmul_gflops
for n in 16 64 128; do
    ratio "greedy decoding L=$n, ours cached / peer" \
        "$ours" "decode_cached_L${n}_tokens_per_s" "$peer" "decode_recompute_L${n}_tokens_per_s"
    ratio "greedy decoding L=$n, ours recompute / peer" \
        "$ours" "decode_recompute_L${n}_tokens_per_s" "$peer" "decode_recompute_L${n}_tokens_per_s"
done
ratio "ours: cached / recompute at L=128" \
    "$ours" decode_cached_L128_tokens_per_s "$ours" decode_recompute_L128_tokens_per_s
echo "== ours vs the hardware bound"
printf "%-44s %8s\n" "training GFLOP/s / 1024³ matmul GFLOP/s" \
    "$(value "$ours" train_matmul_fraction || true)"
echo "(reports kept in $out_dir/)"
