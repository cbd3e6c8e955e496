#!/usr/bin/env bash
# Fault soak: kill a training with SIGKILL N times at random moments, resume it each time, and check
# that nothing the kills interrupted damaged the run.
#
#   scripts/fault-soak.sh [N] [SEED]      N kills (default 20), SEED for the kill moments (default 1)
#
# Needs the examples jar (mvn -B -q -o -pl examples -am package -DskipTests) and jq. It trains a tiny
# model (d 32, 1 layer, 300 Bible pairs) in a temporary run directory with a checkpoint every 3
# steps and a metrics line every step, and kills it with `kill -9`:
#   - odd kills at a random moment 3-12 s after the start (start-up, training, validation, writes);
#   - even kills the instant a checkpoint is being written: after a random 0-4 s the script spins on
#     the checkpoint directory until a temporary `*.tmp-*` directory appears (a checkpoint being
#     written, replaced or pruned), then kills.
# A kill "landed in a checkpoint write" when it left a temporary directory behind. After each kill
# it prints the step logged and the latest complete checkpoint, then resumes with the same flags
# and --resume. Finally it lets the run finish 20 steps later and checks:
#   1. the final run exits 0 and exports OUT/model;
#   2. every checkpoint under checkpoints/ (step-*, best) loads: the CLI's `export --checkpoint`;
#   3. checkpoints/ holds only step-NNNNNNNN, best and best.old (the resume removed the temporary
#      directories left by kills, and none was ever taken for a checkpoint: every resume started
#      from the latest complete checkpoint);
#   4. the loss curve continues: metrics.jsonl logs steps 1..final exactly once each, in order,
#      with finite losses, although every kill left lines past the checkpoint it resumed from.
# Prints the figures (kills, kills in checkpoint writes, resumes, final step, first/last loss) and
# exits non-zero on the first failure. Any hs_err_pid*.log (native crash) is a failure too.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20}
RANDOM=${2:-1}
JAR=$PWD/examples/target/djl-seq2seq-examples.jar
test -f "$JAR" || { echo "build the jar first: mvn -B -q -o -pl examples -am package -DskipTests" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
CORPUS=$OLDPWD/examples/src/main/resources/io/github/djlseq2seq/examples/bible-en-es
gzip -dc "$CORPUS/train.tsv.gz" | head -300 > train.tsv || true
gzip -dc "$CORPUS/dev.tsv.gz" | head -10 > dev.tsv || true
R=$work/run
FLAGS=(--train train.tsv --dev dev.tsv --d-model 32 --heads 2 --ff 64 --layers 1 --vocab-size 300
    --log-every 1 --checkpoint-every 3 --samples 1 --beam 1 --max-minutes 600)

fail() { echo "FAIL: $*" >&2; exit 1; }
# the last step with a training loss in metrics.jsonl (0 if none)
logged_step() { [ -f "$R/metrics.jsonl" ] && jq -s '[.[] | select(.loss) | .step] | max // 0' "$R/metrics.jsonl" 2>/dev/null || echo 0; }
latest_checkpoint() { ls "$R/checkpoints" 2>/dev/null | grep -E '^step-[0-9]{8}$' | tail -1 || true; }

kills=0 in_write=0 resumes=0
for ((i = 1; i <= N; i++)); do
    resume=()
    if ((i > 1)) || [ -d "$R" ]; then resume=(--resume); fi
    java -jar "$JAR" train --out "$R" "${FLAGS[@]}" "${resume[@]}" --max-steps 100000 > "log-$i.txt" 2>&1 &
    pid=$!
    ((${#resume[@]})) && resumes=$((resumes + 1))
    if ((i % 2)); then
        sleep "$((3 + RANDOM % 10)).$((RANDOM % 10))"
        mode=random
    else
        sleep "$((RANDOM % 5)).$((RANDOM % 10))"
        mode=in-write
        deadline=$((SECONDS + 30))
        shopt -s nullglob
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
            tmp=("$R"/checkpoints/*.tmp-*)
            ((${#tmp[@]})) && break
        done
        shopt -u nullglob
    fi
    kill -0 "$pid" 2>/dev/null || fail "kill $i: the training ended before the kill (see below)
$(tail -5 "log-$i.txt")"
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
    kills=$((kills + 1))
    leftovers=$(ls "$R/checkpoints" 2>/dev/null | grep -c -- '\.tmp-' || true)
    ((leftovers > 0)) && in_write=$((in_write + 1))
    printf 'kill %2d (%-8s): logged step %4s, latest checkpoint %s, temporary dirs left %s\n' \
        "$i" "$mode" "$(logged_step)" "$(latest_checkpoint || echo none)" "$leftovers"
    if ((i > 1)) && grep -q "Resumed from" "log-$i.txt"; then
        from=$(grep -o 'Resumed from [^ ]* at step [0-9]*' "log-$i.txt" | head -1)
        [ "$from" = "$(cat expected-resume 2>/dev/null)" ] || fail "run $i: '$from', expected '$(cat expected-resume)'"
    fi
    c=$(latest_checkpoint)
    if [ -n "$c" ]; then
        echo "Resumed from $R/checkpoints/$c at step $((10#${c#step-}))" > expected-resume
    else
        rm -f expected-resume
    fi
done

last=$(latest_checkpoint); last=$((10#${last#step-}))
final=$((last + 20))
java -jar "$JAR" train --out "$R" "${FLAGS[@]}" --resume --max-steps "$final" > log-final.txt 2>&1 \
    || fail "the final run failed: $(tail -5 log-final.txt)"
resumes=$((resumes + 1))
grep -q "Resumed from $R/checkpoints/step-$(printf %08d "$last") at step $last" log-final.txt \
    || fail "the final run did not resume from step $last: $(grep Resumed log-final.txt)"
test -f "$R/model/serving.properties" || fail "no exported model"

# 2. every checkpoint loads; 3. nothing else lies in checkpoints/
checked=0
for c in "$R"/checkpoints/*; do
    name=$(basename "$c")
    [[ $name =~ ^(step-[0-9]{8}|best|best\.old)$ ]] || fail "unexpected entry checkpoints/$name"
    java -jar "$JAR" export --checkpoint "$c" --config "$R/config.json" --tokenizer "$R/tokenizer.json" \
        --out "$work/export-$name" > "export-$name.txt" 2>&1 || fail "checkpoint $name does not load: $(tail -3 "export-$name.txt")"
    checked=$((checked + 1))
done

# 4. the loss curve: steps 1..final once each, in order, finite
jq -se --argjson final "$final" '[.[] | select(has("loss"))] as $l
    | ($l | map(.step)) == [range(1; $final + 1)] and ($l | all(.loss | isnormal))' "$R/metrics.jsonl" > /dev/null \
    || fail "metrics.jsonl does not log steps 1..$final once each with finite losses"
first_loss=$(jq -s '[.[] | select(has("loss"))][0].loss' "$R/metrics.jsonl")
last_loss=$(jq -s '[.[] | select(has("loss"))][-1].loss' "$R/metrics.jsonl")
crashes=$(find "$work" -name 'hs_err_pid*' | wc -l)
((crashes == 0)) || fail "$crashes native crash logs (hs_err_pid*.log)"

printf 'fault soak: %d kills (%d in a checkpoint write), %d resumes, final step %d, %d checkpoints loaded,\n' \
    "$kills" "$in_write" "$resumes" "$final" "$checked"
printf '            loss %.3f at step 1, %.3f at step %d; metrics steps 1..%d continuous; no native crash\n' \
    "$first_loss" "$last_loss" "$final" "$final"
