#!/usr/bin/env bash
# The large-file translate benchmark: the new streaming `translate` (length-sorted token-budget
# batches) against the fixed in-order batches of main 32f2066, end to end (JVM start and model
# load included), on the 1,231 source verses of the bundled dev set with the model's own decoding
# settings. Runs alternate (old, new, old, new, …) and the outputs must be identical.
#
#   bench/translate-large.sh [MODEL] [RUNS]
#       MODEL  an exported model (default /work/models/bible-725/model), read only
#       RUNS   runs of each side (default 3)
#
# The old side is built once in a git worktree under /tmp/old-32f2066 with its own target
# directories: 32f2066 predates the module split (the library is the root project, examples/ a
# separate project that depends on its installed snapshot), so its library jar is packaged there
# and its CLI classes are compiled against that jar with javac; nothing is installed into ~/.m2.
# Needs network-free Maven (-o) with the dependencies in ~/.m2, git, java 17, GNU time optional.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
model=${1:-/work/models/bible-725/model}
runs=${2:-3}
old=/tmp/old-32f2066
work=${BENCH_DIR:-/tmp/translate-large}
mkdir -p "$work"

dev=examples/src/main/resources/io/github/djlseq2seq/examples/bible-en-es/dev.tsv.gz
zcat "$dev" | cut -f2 > "$work/dev.en"
echo "input: $(wc -l < "$work/dev.en") lines from $dev (source column)"

echo "== build the old translate (32f2066) in $old"
if [ ! -d "$old" ]; then
    git worktree add "$old" 32f2066 >/dev/null
fi
if [ ! -f "$work/old-classpath.txt" ]; then
    (cd "$old" && mvn -B -q -o package -DskipTests -Dspotless.check.skip=true \
        dependency:build-classpath -Dmdep.outputFile="$work/old-deps.txt" \
        -Dmdep.includeScope=runtime >/dev/null)
    picocli=$(find ~/.m2/repository/info/picocli/picocli/4.7.7 -name 'picocli-4.7.7.jar')
    cp_old="$(cat "$work/old-deps.txt"):$old/target/djl-seq2seq-0.1.0-SNAPSHOT.jar:$picocli"
    rm -rf "$work/old-classes" && mkdir -p "$work/old-classes"
    javac -nowarn -d "$work/old-classes" -cp "$cp_old" \
        $(find "$old/examples/src/main/java" -name '*.java')
    echo "$cp_old:$work/old-classes" > "$work/old-classpath.txt"
fi

echo "== build the new translate (this tree)"
mvn -B -q -o -pl examples -am package -DskipTests >/dev/null
new_jar="$root/examples/target/djl-seq2seq-examples.jar"

run_old() {
    java -cp "$(cat "$work/old-classpath.txt")" io.github.djlseq2seq.examples.Cli \
        translate --model "$model" < "$work/dev.en" > "$work/old.es"
}
run_new() {
    java -jar "$new_jar" translate --model "$model" --progress none \
        < "$work/dev.en" > "$work/new.es"
}
seconds() {
    local start end
    start=$(date +%s.%N)
    "$@"
    end=$(date +%s.%N)
    echo "$end - $start" | bc
}

echo "== $runs alternating runs each (seconds, end to end)"
for i in $(seq 1 "$runs"); do
    o=$(seconds run_old)
    n=$(seconds run_new)
    echo "run $i: old $o  new $n  ratio $(echo "scale=2; $o / $n" | bc)"
    cmp -s "$work/old.es" "$work/new.es" || { echo "OUTPUTS DIFFER"; diff "$work/old.es" "$work/new.es" | head; exit 1; }
done
echo "outputs identical: $(wc -l < "$work/new.es") lines ($work/old.es, $work/new.es)"
