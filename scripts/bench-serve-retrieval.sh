#!/usr/bin/env bash
# The HNSW graph inside the service (issue 18): for each catalog size, in one process, the graph's build
# time (first start with a state directory) and load time (second start), heap per item with and
# without it, recall@10 of the served lists against the exact scan, in-process recommend p50/p99, and
# single-item add latency with the graph attached; then `clcrec serve` with --retrieval exact and
# --retrieval hnsw under GET recommendations at 64 connections (ServingBenchmark http, which also adds
# one item a second and checks it is recommendable).
# Uses the bundle at WORK_DIR/bundle-SIZE (its dataset at WORK_DIR/bundle-SIZE-data), written when missing:
# untrained like those of scripts/bench-state.sh (dim 64), or with BUNDLE_KIND=clustered the clustered
# catalog of `StateBenchmark clustered` (10,000 users; ranking vectors with a trained model's structure).
#   [BUNDLE_KIND=untrained|clustered] [BENCH_HEAP=10g] [SERVE_HEAP=6g] \
#     scripts/bench-serve-retrieval.sh [WORK_DIR] [SIZES] [SECONDS]
#   (default /work/scratch/state-bench, 86506,1000000, 30; the default heaps fit 1M items, 5M took
#   BENCH_HEAP=14g SERVE_HEAP=10g)
# Build first: mvn -B package -DskipTests. Run it under: flock -x /tmp/clcrec-bench.lock
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/work/scratch/state-bench}
sizes=${2:-86506,1000000}
secs=${3:-30}
source "$root/scripts/java-home.sh"
java="$JAVA_HOME/bin/java"
cp="$root/target/classes:$root/target/test-classes:$root/target/lib/*"
run=("$java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector
  -Dclcrec.library="$root/build/native/libclcrec.so" -cp "$cp")
echo "date $(date -u +%FT%TZ); loadavg $(cat /proc/loadavg); $(nproc) cores"
for n in ${sizes//,/ }; do
  if [ ! -f "$work/bundle-$n/manifest.json" ]; then
    case "${BUNDLE_KIND:-untrained}" in
      untrained) kind=(bundle "$n") ;;
      clustered) kind=(clustered "$n" 10000) ;;
      *) echo "BUNDLE_KIND must be untrained or clustered, got ${BUNDLE_KIND}" >&2; exit 2 ;;
    esac
    "${run[@]}" -Xmx8g dev.clcrec.api.bench.StateBenchmark "${kind[@]}" "$work/bundle-$n" > /dev/null
  fi
  users=5000
  [ "$n" -ge 500000 ] && users=1000 # the exact scan takes ~0.03 s a user at 1M items
  [ "$n" -ge 2000000 ] && users=300  # and ~0.12 s at 5M, which the recall and latency rows each run
  "${run[@]}" -Xmx${BENCH_HEAP:-10g} dev.clcrec.api.bench.RetrievalServiceBenchmark service "$work/bundle-$n" \
    "$work/retrieval-state-$n" "$users" 500 2> "$work/retrieval-service-$n.log"
  # the HTTP half, on a copy of the state directory the service run above stored (with its 500 added items)
  "$root/scripts/bench-serve-http.sh" "$n" "$work" "$secs"
done
