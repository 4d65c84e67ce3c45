#!/usr/bin/env bash
# Live-state benchmarks (issue 21): add-one-item latency in memory and journaled at three catalog
# sizes, journaled writes/s with 1 and 64 writers, reopen time with 100k journaled records, and
# recommend latency while adding 100 items/s. Generates the catalogs and (untrained) bundles once.
#   scripts/bench-state.sh [WORK_DIR] [SIZES]   (default /work/scratch/state-bench, 6000,86506,1000000)
# Build first: mvn -B package -DskipTests (compiles java/bench with the tests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/work/scratch/state-bench}
sizes=${2:-6000,86506,1000000}
source "$root/scripts/java-home.sh"
java="$JAVA_HOME/bin/java"
cp="$root/target/classes:$root/target/test-classes:$root/target/lib/*"
run=("$java" --enable-native-access=ALL-UNNAMED -Dclcrec.library="$root/build/native/libclcrec.so" -Xmx8g -cp "$cp"
  dev.clcrec.api.bench.StateBenchmark)
mkdir -p "$work"
echo "date $(date -u +%FT%TZ); loadavg $(cat /proc/loadavg); $(nproc) cores; state on $(df --output=source,fstype "$work" | tail -1)"
for n in ${sizes//,/ }; do
  [ -f "$work/bundle-$n/manifest.json" ] || "${run[@]}" bundle "$n" "$work/bundle-$n" > /dev/null
  "${run[@]}" adds "$work/bundle-$n" 2000 "$work/state-$n"
done
first=${sizes%%,*}
"${run[@]}" writes "$work/bundle-$first" "$work/state-writes" 10
"${run[@]}" restart "$work/bundle-$first" "$work/state-restart" 100000
"${run[@]}" churn "$work/bundle-86506" "$work/state-churn" 20 2>/dev/null || \
  "${run[@]}" churn "$work/bundle-$first" "$work/state-churn" 20
