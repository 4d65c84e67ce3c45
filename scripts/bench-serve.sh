#!/usr/bin/env bash
# Serving benchmarks at the MovieLens shape (55,485 users x 5,986 items, dim 64): generates the
# synthetic dataset and an (untrained: latency does not depend on the weights) bundle once, then
#   1. in-process Recommender.recommend(user, 10) latency (1 and 2 threads), bundle load time, RSS;
#   2. `java -jar target/clcrec-*.jar serve` plus a virtual-thread java.net.http client at 1, 16 and
#      64 connections for SECONDS each, while a second client adds one item per second and checks
#      each is recommendable; then the same with Debian's wrk (1 thread: two wrk threads took a whole
#      core of the two the server needs, and starved the item adder) as the load generator;
#      server RSS; SIGTERM and its exit code.
#   scripts/bench-serve.sh [WORK_DIR] [SECONDS]   (default /work/scratch/serve-bench, 30)
# Build first: mvn -B package -DskipTests. Run it under: flock -x /tmp/clcrec-bench.lock
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/work/scratch/serve-bench}
secs=${2:-30}
source "$root/scripts/java-home.sh"
java="$JAVA_HOME/bin/java"
cp="$root/target/classes:$root/target/test-classes:$root/target/lib/*"  # harnesses: java/bench
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
# --allow-unauthenticated: a loopback benchmark whose item adder sends no token (reads never need one)
"$java" -Xmx2g -jar "$jar" serve --model "$work/bundle" --port "$port" --allow-unauthenticated > "$work/serve.log" 2>&1 &
pid=$!
until grep -q '^serving ' "$work/serve.log"; do kill -0 $pid; sleep 0.1; done
echo "server ready after $(echo "$(date +%s.%N) - $start" | bc) s (JVM start + bundle load); RSS $(ps -o rss= -p $pid) kB"
"${run[@]}" -Xmx2g dev.clcrec.api.bench.ServingBenchmark http "http://127.0.0.1:$port" "$work/movielens" "$secs" 1,16,64
if command -v wrk > /dev/null; then
  cat > "$work/users.lua" <<LUA
local ids = {}
for line in io.lines("$work/movielens/user_ids.tsv") do ids[#ids + 1] = line end
math.randomseed(7)
request = function()
  return wrk.format("GET", "/v1/users/" .. ids[math.random(#ids)] .. "/recommendations?k=10")
end
LUA
  for c in 1 16 64; do
    "${run[@]}" -Xmx1g dev.clcrec.api.bench.ServingBenchmark adder "http://127.0.0.1:$port" "$work/movielens" \
      "$secs" "wrk-$c-" > "$work/adder-$c.log" 2>&1 &
    adder=$!
    echo "wrk -c$c -d${secs}s:"
    wrk -t1 -c"$c" -d"${secs}s" --latency -s "$work/users.lua" "http://127.0.0.1:$port" \
      | grep -E "Requests/sec|Non-2xx|Socket errors| 50%| 99%|requests in"
    wait $adder
    grep "items added" "$work/adder-$c.log"
  done
fi
echo "server RSS after the load: $(ps -o rss= -p $pid) kB"
kill -TERM $pid
set +e
wait $pid
echo "server exit code after SIGTERM: $?"
echo "loadavg at end $(cat /proc/loadavg)"
