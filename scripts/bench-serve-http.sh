#!/usr/bin/env bash
# The HTTP half of scripts/bench-serve-retrieval.sh (which calls it), on the graph that script stored: `clcrec
# serve` with --retrieval exact and hnsw (a copy of its state directory) under GET recommendations at
# 64 connections, one item added a second and checked.
#   [SERVE_HEAP=6g] scripts/bench-serve-http.sh [SIZE] [WORK_DIR] [SECONDS]   (default 86506, /work/scratch/state-bench, 30)
# Build first: mvn -B package -DskipTests. Run it under: flock -x /tmp/clcrec-bench.lock
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-86506}
work=${2:-/work/scratch/state-bench}
secs=${3:-30}
source "$root/scripts/java-home.sh"
java="$JAVA_HOME/bin/java"
cp="$root/target/classes:$root/target/test-classes:$root/target/lib/*"
run=("$java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Dclcrec.library="$root/build/native/libclcrec.so" -cp "$cp")
jar=$(ls "$root"/target/clcrec-*.jar | grep -v -e sources -e javadoc | head -n 1)
echo "date $(date -u +%FT%TZ); loadavg $(cat /proc/loadavg)"
rm -rf "$work/http-state-$n" && cp -r "$work/retrieval-state-$n" "$work/http-state-$n"
for mode in exact hnsw; do
  port=18092
  state=()
  [ "$mode" = hnsw ] && state=(--state "$work/http-state-$n")
  : > "$work/serve-http-$mode-$n.log" # emptied before the start: the wait below must not read an old line
  "$java" --add-modules jdk.incubator.vector -Xmx${SERVE_HEAP:-6g} -jar "$jar" serve --model "$work/bundle-$n" --port "$port" \
    --allow-unauthenticated --retrieval "$mode" "${state[@]}" > "$work/serve-http-$mode-$n.log" 2>&1 &
  pid=$!
  until grep -q '^serving ' "$work/serve-http-$mode-$n.log"; do kill -0 $pid; sleep 0.2; done
  echo "$n items, serve --retrieval $mode: $(grep '^serving ' "$work/serve-http-$mode-$n.log" | sed 's/.*(model [^,]*, //; s/).*//')"
  "${run[@]}" -Xmx2g dev.clcrec.api.bench.ServingBenchmark http "http://127.0.0.1:$port" "$work/bundle-$n-data" "$secs" 64
  kill -TERM $pid
  wait $pid || true
done
