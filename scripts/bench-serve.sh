#!/usr/bin/env bash
# Serving benchmarks at the MovieLens shape (55,485 users x 5,986 items, dim 64): generates the
# synthetic dataset and an (untrained: latency does not depend on the weights) bundle once, then
#   1. in-process Recommender.recommend(user, 10) latency (1 and 2 threads), bundle load time, RSS;
#   2. `java -jar target/clcrec-*.jar serve` plus a virtual-thread java.net.http client at 1, 16 and
#      64 connections for SECONDS each, while a second client adds one item per second and checks
#      each is recommendable; server RSS; SIGTERM and its exit code.
#   scripts/bench-serve.sh [WORK_DIR] [SECONDS]   (default /work/scratch/serve-bench, 30)
# Build first: mvn -B package -DskipTests. Run it under: flock -x /tmp/clcrec-bench.lock
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/work/scratch/serve-bench}
secs=${2:-30}
source "$root/scripts/java-home.sh"
java="$JAVA_HOME/bin/java"
cp="$root/target/classes:$root/target/lib/*"
run=("$java" --enable-native-access=ALL-UNNAMED -Dclcrec.library="$root/build/native/libclcrec.so" -cp "$cp")
jar=$(ls "$root"/target/clcrec-*.jar | grep -v -e sources -e javadoc | head -n 1)
mkdir -p "$work"
[ -f "$work/movielens/manifest.json" ] || "$java" -Xmx6g -cp "$cp" dev.clcrec.data.synthetic.SyntheticCommand \
  --preset movielens -o "$work/movielens"
[ -f "$work/bundle/manifest.json" ] || "${run[@]}" -Xmx6g dev.clcrec.api.bench.ServingBenchmark bundle \
  "$work/movielens" "$work/bundle"
echo "date $(date -u +%FT%TZ); loadavg $(cat /proc/loadavg); $(nproc) cores"
/usr/bin/time -f "in-process run: max RSS %M kB" "${run[@]}" -Xmx2g dev.clcrec.api.bench.ServingBenchmark \
  inprocess "$work/bundle" "$secs"
port=18087
start=$(date +%s.%N)
"$java" -Xmx2g -jar "$jar" serve --model "$work/bundle" --port "$port" > "$work/serve.log" 2>&1 &
pid=$!
until grep -q '^serving ' "$work/serve.log"; do kill -0 $pid; sleep 0.1; done
echo "server ready after $(echo "$(date +%s.%N) - $start" | bc) s (JVM start + bundle load); RSS $(ps -o rss= -p $pid) kB"
"${run[@]}" -Xmx2g dev.clcrec.api.bench.ServingBenchmark http "http://127.0.0.1:$port" "$work/movielens" "$secs" 1,16,64
echo "server RSS after the load: $(ps -o rss= -p $pid) kB"
kill -TERM $pid
set +e
wait $pid
echo "server exit code after SIGTERM: $?"
echo "loadavg at end $(cat /proc/loadavg)"
