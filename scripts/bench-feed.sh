#!/usr/bin/env bash
# Kafka feed benchmark (issue 18): a real single-node KRaft broker, ITEMS item events and
# INTERACTIONS interaction events, then a cold replica (journaled) catching up, and produce-to-
# recommendable latency. Needs a bundle (scripts/bench-state.sh makes them).
#   scripts/bench-feed.sh BUNDLE [WORK_DIR] [ITEMS] [INTERACTIONS]
# Build first: mvn -B package -DskipTests (compiles java/bench with the tests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bundle=$1
work=${2:-/work/scratch/feed-bench}
items=${3:-10000}
interactions=${4:-100000}
source "$root/scripts/java-home.sh"
rm -rf "$work" && mkdir -p "$work"
(cd "$root" && mvn -B -q dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" > /dev/null)
echo "date $(date -u +%FT%TZ); loadavg $(cat /proc/loadavg); $(nproc) cores"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dclcrec.library="$root/build/native/libclcrec.so" -Xmx4g \
  -cp "$root/target/classes:$root/target/test-classes:$(cat "$work/cp.txt")" dev.clcrec.feed.FeedBenchmark \
  "$bundle" "$work" "$items" "$interactions"
