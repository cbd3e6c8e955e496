#!/usr/bin/env bash
# The library as a DJL user gets it: a throw-away Maven project that depends ONLY on the core
# artifact (io.github.djlseq2seq:djl-seq2seq) plus the native build an application picks
# (pytorch-native-cpu, classifier linux-x86_64, and pytorch-jni) compiles README.md's Java
# snippets and runs them; and the core artifact holds nothing an application did not ask for.
#
#   scripts/consumer-check.sh             build what is needed (offline), then check
#   scripts/consumer-check.sh --no-build  use core/target and examples/target as they are
#                                         (.ci/run: right after `mvn -B verify`)
#
# Checks, in order:
#  1. README.md links only to files inside the repository, and those files exist (docs/*.md too).
#  2. core's compile/runtime dependency tree has no pytorch-native-* and no jfreechart.
#  3. core's jar has no benchmark classes, no `main` method (javap), no corpus (.tsv, .tsv.gz).
#  4. README's Java snippets compile and run in the throw-away project.
#
# Which snippets: every ```java block of README.md must be preceded (blank lines allowed) by
#   <!-- consumer-check -->                 the block is compiled and run, or
#   <!-- consumer-check: skip REASON -->    the block is left out, for the reason given;
# a ```java block with neither fails the check, so no snippet is forgotten. Inside a checked block,
# lines starting with `import ` go to the top of the generated file; the other lines become the
# body of one method, `static void readmeLineN() throws Exception` (N: the line of the block in
# README.md, so a compile error names the snippet). The methods run in README order, each in its
# own scope, from a working directory that holds:
#   runs/bible-en-es/model   a tiny model exported by `train` (5 steps), where README's
#                            inference quick start looks for what `train` wrote
#   data/train.tsv           the first 1,000 pairs of the bundled Bible train split
#   data/dev.tsv             the first 8 pairs of the dev split (few: `train` translates them
#                            twice, with an untrained model that writes up to its length limit)
# with -Dai.djl.offline=true (nothing is downloaded) and a 3-minute limit for all snippets.
#
# The core artifact reaches the throw-away project through a temporary local repository: the
# core jar and pom and the parent pom are laid out in it, and every other entry of the usual
# local repository (~/.m2/repository, or $M2_REPO) is linked into it, so that Maven resolves
# DJL and the rest offline without copying them — and ~/.m2's own copy of the djl-seq2seq
# snapshot is never read nor overwritten (parallel builds keep using theirs).
#
# Maven runs offline (-o). On a machine whose ~/.m2 lacks maven-dependency-plugin (it is not
# part of `mvn verify`), the first call retries once online to fetch it.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

build=1
if [[ "${1:-}" == "--no-build" ]]; then
    build=0
elif [[ $# -gt 0 ]]; then
    echo "usage: scripts/consumer-check.sh [--no-build]" >&2
    exit 2
fi

# the version of the modules, from the parent block of core/pom.xml
version=$(awk '/<parent>/ { p = 1 } p && /<version>/ { gsub(/.*<version>|<\/version>.*/, ""); print; exit }' core/pom.xml)
core_jar="core/target/djl-seq2seq-$version.jar"
examples_jar="examples/target/djl-seq2seq-examples.jar"
m2="${M2_REPO:-$HOME/.m2/repository}"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "consumer check FAILED: $*" >&2
    exit 1
}

if [[ $build -eq 1 ]]; then
    echo "== build core and the examples jar (offline, no tests)"
    mvn -B -q -o -pl examples -am package -DskipTests
fi
[[ -f "$core_jar" ]] || fail "$core_jar is missing (build first, or drop --no-build)"
[[ -f "$examples_jar" ]] || fail "$examples_jar is missing (build first, or drop --no-build)"

echo "== 1. README and docs link only to files inside the repository"
for md in README.md docs/*.md; do
    dir=$(dirname "$md")
    # every markdown link target: ](target) — anchors dropped, in-page anchors skipped
    while IFS= read -r target; do
        case "$target" in
            http://* | https://* | mailto:*)
                [[ "$md" == README.md ]] && fail "README.md links outside the repository: $target"
                ;;
            '#'*) ;;
            *)
                path="${target%%#*}"
                [[ -e "$dir/$path" ]] || fail "$md links to $target, which does not exist"
                case "$(realpath -m "$dir/$path")" in
                    "$root" | "$root"/*) ;;
                    *) fail "$md links to $target, outside the repository" ;;
                esac
                ;;
        esac
    done < <(grep -o '](\([^)]*\))' "$md" | sed 's/^](//; s/)$//')
done

echo "== 2. core's dependency tree (compile and runtime scopes)"
tree_args=(-B -q -pl core dependency:tree -Dscope=runtime -DoutputFile="$tmp/core-tree.txt")
if ! mvn -o "${tree_args[@]}" >"$tmp/tree.log" 2>&1; then
    echo "   (offline resolution failed; retrying online once to fetch the plugin)"
    mvn "${tree_args[@]}" >"$tmp/tree.log" 2>&1 || { cat "$tmp/tree.log"; fail "dependency:tree of core"; }
fi
grep -q 'ai.djl.pytorch:pytorch-engine' "$tmp/core-tree.txt" || fail "the tree does not list pytorch-engine: $(cat "$tmp/core-tree.txt")"
if grep -E 'pytorch-native|jfreechart' "$tmp/core-tree.txt"; then
    fail "core depends on a native build or a plotting library (above)"
fi
echo "   $(($(wc -l <"$tmp/core-tree.txt") - 1)) dependencies; no pytorch-native-*, no jfreechart"

echo "== 3. core's jar: no benchmarks, no main methods, no corpus"
jar tf "$core_jar" >"$tmp/core-entries.txt"
if grep -E '/bench/|Benchmark|\.tsv(\.gz)?$|/examples/' "$tmp/core-entries.txt"; then
    fail "$core_jar holds benchmark classes, examples or a corpus (above)"
fi
classes=$(grep '\.class$' "$tmp/core-entries.txt" | sed 's/\.class$//; s#/#.#g')
[[ -n "$classes" ]] || fail "$core_jar holds no classes"
# shellcheck disable=SC2086
javap -cp "$core_jar" $classes >"$tmp/javap.txt"
# javap prints each type's header line ("public final class a.B {"), then its members
mains=$(awk '/^[a-z ]*(class|interface|enum|record) / { type = $0 }
             /static void main\(java\.lang\.String(\[\]|\.\.\.)\)/ { print type }' "$tmp/javap.txt")
[[ -z "$mains" ]] || fail "$core_jar has main methods, in: $mains"
grep -q '^public final class io.github.djlseq2seq' "$tmp/javap.txt" || fail "javap listed no class of $core_jar"

echo "   $(echo "$classes" | wc -w) classes, none with main; no bench, examples or .tsv entries"

echo "== 4. README's Java snippets in a throw-away Maven project"
# 4a. the snippets, as one Java source file
project="$tmp/consumer"
src="$project/src/main/java/ReadmeSnippets.java"
mkdir -p "$(dirname "$src")"
awk -v out_imports="$tmp/imports.txt" -v out_bodies="$tmp/bodies.txt" -v out_calls="$tmp/calls.txt" '
    function problem(msg) { print "README.md:" NR ": " msg > "/dev/stderr"; bad = 1 }
    /^<!-- consumer-check -->$/ { mark = "check"; next }
    /^<!-- consumer-check: skip [^ ].* -->$/ { mark = "skip"; next }
    /^<!-- consumer-check/ { problem("unknown consumer-check marker: " $0) }
    inblock && /^```[ \t]*$/ { inblock = 0; print "    }" > out_bodies; next }
    inblock && /^import [A-Za-z0-9_.*]+;[ \t]*$/ { print > out_imports; next }
    inblock { print "        " $0 > out_bodies; next }
    /^```java/ {
        if (mark == "check") {
            inblock = 1; n++
            name = "readmeLine" NR
            print "        " name "();" > out_calls
            print "    // README.md line " NR > out_bodies
            print "    static void " name "() throws Exception {" > out_bodies
        } else if (mark != "skip") {
            problem("a ```java block without <!-- consumer-check --> or <!-- consumer-check: skip REASON --> before it")
        }
        mark = ""; next
    }
    /^[ \t]*$/ { next }
    { mark = "" }
    END {
        if (inblock) problem("unterminated ```java block")
        if (n == 0) problem("no <!-- consumer-check --> snippet")
        if (bad) exit 1
    }
' README.md || fail "README.md's snippets (above)"
touch "$tmp/imports.txt"
{
    sort -u "$tmp/imports.txt"
    echo
    echo "/** README.md's Java snippets, generated by scripts/consumer-check.sh. */"
    echo "public final class ReadmeSnippets {"
    echo "    public static void main(String[] args) throws Exception {"
    cat "$tmp/calls.txt"
    echo "        System.out.println(\"README snippets run: $(wc -l <"$tmp/calls.txt")\");"
    echo "    }"
    echo
    cat "$tmp/bodies.txt"
    echo "}"
} >"$src"
echo "   $(wc -l <"$tmp/calls.txt") snippet(s) from README.md"

# 4b. the temporary local repository: ~/.m2 linked in, the djl-seq2seq artifacts laid out
repo="$tmp/repo"
[[ -d "$m2" ]] || fail "no local Maven repository at $m2 (set M2_REPO)"
own="$repo/io/github/djlseq2seq"
mkdir -p "$own"
for e in "$m2"/*; do [[ "$(basename "$e")" == io ]] || ln -s "$e" "$repo/"; done
for e in "$m2"/io/*; do [[ "$(basename "$e")" == github ]] || ln -s "$e" "$repo/io/"; done
for e in "$m2"/io/github/*; do [[ "$(basename "$e")" == djlseq2seq ]] || ln -s "$e" "$repo/io/github/"; done
install -D -m 644 "$core_jar" "$own/djl-seq2seq/$version/djl-seq2seq-$version.jar"
install -D -m 644 core/pom.xml "$own/djl-seq2seq/$version/djl-seq2seq-$version.pom"
install -D -m 644 pom.xml "$own/djl-seq2seq-parent/$version/djl-seq2seq-parent-$version.pom"

# 4c. the project: the library and the native build an application picks, nothing else
cat >"$project/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>consumer-check</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>io.github.djlseq2seq</groupId>
      <artifactId>djl-seq2seq</artifactId>
      <version>$version</version>
    </dependency>
    <dependency>
      <groupId>ai.djl.pytorch</groupId>
      <artifactId>pytorch-native-cpu</artifactId>
      <version>2.7.1</version>
      <classifier>linux-x86_64</classifier>
    </dependency>
    <dependency>
      <groupId>ai.djl.pytorch</groupId>
      <artifactId>pytorch-jni</artifactId>
      <version>2.7.1-0.36.0</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.13.0</version>
      </plugin>
    </plugins>
  </build>
</project>
EOF
(cd "$project" && mvn -B -q -o -Dmaven.repo.local="$repo" compile dependency:build-classpath \
    -Dmdep.outputFile=classpath.txt) || fail "the throw-away project does not build (above)"
if tr ':' '\n' <"$project/classpath.txt" | grep -E 'jfreechart|picocli|djl-seq2seq-examples|djl-seq2seq-bench'; then
    fail "the throw-away project's class path holds what the library must not bring (above)"
fi

# 4d. what the snippets read: a tiny exported model and small slices of the corpus
work="$tmp/work"
mkdir -p "$work/data"
corpus=examples/src/main/resources/io/github/djlseq2seq/examples/bible-en-es
gzip -dc "$corpus/train.tsv.gz" | awk 'NR <= 1000' >"$work/data/train.tsv"
gzip -dc "$corpus/dev.tsv.gz" | awk 'NR <= 8' >"$work/data/dev.tsv"
echo "   exporting a tiny model (train --max-steps 5)"
java -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$examples_jar" train \
    --out "$work/runs/bible-en-es" --train "$work/data/train.tsv" --dev "$work/data/dev.tsv" \
    --max-steps 5 --d-model 32 --heads 2 --ff 64 --layers 1 --vocab-size 300 --samples 0 \
    >"$tmp/train.log" 2>&1 || { cat "$tmp/train.log"; fail "train (the tiny model)"; }
[[ -f "$work/runs/bible-en-es/model/serving.properties" ]] || fail "train wrote no model/"

# 4e. run them
echo "   running README's snippets"
(cd "$work" && timeout 180 java -Dai.djl.offline=true \
    -cp "$project/target/classes:$(cat "$project/classpath.txt")" ReadmeSnippets) \
    || fail "README's snippets did not run (above; generated source: scripts/consumer-check.sh, step 4a)"
echo "consumer check: OK"
