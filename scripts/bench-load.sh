#!/usr/bin/env bash
# Load benchmark for dev.clcrec.data: generates MovieLens-sized and Amazon-sized synthetic datasets
# in our layout and in the reference layout (Amazon's visual matrix as feat_v.pt, like the paper's
# data), then loads each in a fresh JVM, printing load time and peak RSS; finally times `prepare`
# on real MovieLens (dslabs) when Rscript + r-cran-dslabs are installed.
#   scripts/bench-load.sh [WORK_DIR]      (default /work/scratch/bench-data; needs ~3.2 GB free)
# Build first: mvn -B package -DskipTests (target/classes, target/test-classes and target/lib)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/work/scratch/bench-data}
source "$(dirname "$0")/java-home.sh"  # a JDK that can run FFM code (25+)
java="$JAVA_HOME/bin/java"
cp="$root/target/classes:$root/target/test-classes:$root/target/lib/*"  # harnesses: java/bench
mkdir -p "$work"
for preset in movielens amazon; do
  if [ ! -f "$work/$preset/manifest.json" ]; then
    extra=()
    [ "$preset" = amazon ] && extra=(--torch-visual)
    /usr/bin/time -f "generate $preset: %e s, max RSS %M kB" \
      "$java" -Xmx6g -cp "$cp" dev.clcrec.data.synthetic.SyntheticCommand --preset "$preset" \
      -o "$work/$preset" --reference-output "$work/$preset-reference" "${extra[@]}"
  fi
done
du -sh "$work"/*
for ds in movielens movielens-reference amazon amazon-reference; do
  for run in 1 2; do
    "$java" -Xmx1g -XX:+UseSerialGC -cp "$cp" dev.clcrec.data.bench.LoadBenchmark "$work/$ds" 2>/dev/null
  done
done
if bash "$root/scripts/dslabs-movielens.sh" "$work/dslabs" >"$work/dslabs.log" 2>&1; then
  grep '^prepared' "$work/dslabs.log"
else
  echo "dslabs MovieLens skipped: $(tail -1 "$work/dslabs.log")"
fi
