#!/usr/bin/env bash
# Approximate retrieval (dev.clcrec.retrieval.HnswIndex) against the exact scan, one thread, on generated
# clustered catalogs (dim 64): per catalog size, the index build time and heap per item, recall@10 and
# in-process p50/p99 latency over efSearch (CSV), the exact scan's latency, add latency and the merge of
# a full tail; then the recall/latency PNG.
#   scripts/bench-retrieval.sh [OUT_DIR] [SIZES] [USERS] [EFS]
#   (defaults /work/scratch/retrieval-bench, 86506,1000000, 2000, 10,20,40,60,100,150,200,400)
# Build first: mvn -B package -DskipTests. Run it under: flock -x /tmp/clcrec-bench.lock
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/work/scratch/retrieval-bench}
sizes=${2:-86506,1000000}
users=${3:-2000}
efs=${4:-10,20,40,60,100,150,200,400}
source "$root/scripts/java-home.sh"
cp="$root/target/classes:$root/target/test-classes:$root/target/lib/*"  # harnesses: java/bench
# Lucene's vector kernels use the Panama Vector API only when the incubator module is readable.
run=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:ActiveProcessorCount=1 -cp "$cp")
mkdir -p "$out"
echo "date $(date -u +%FT%TZ); loadavg $(cat /proc/loadavg); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo)"
for n in ${sizes//,/ }; do
  heap=$(( n > 2000000 ? 14 : 6 ))
  "${run[@]}" -Xmx${heap}g dev.clcrec.retrieval.bench.RetrievalBenchmark run "$n" "$users" \
    "$efs" MAX_INNER_PRODUCT 16 100 "$out/recall-latency.csv"
done
"${run[@]}" dev.clcrec.retrieval.bench.RetrievalBenchmark plot "$out/recall-latency.csv" "$out/recall-latency.png"
echo "wrote $out/recall-latency.csv and $out/recall-latency.png"
