#!/usr/bin/env bash
# Training-side benchmarks at the MovieLens shape on generated data (results in BENCHMARKS.md).
# Usage: scripts/bench-train.sh [bench-train options, e.g. --threads 2 --steps 40 --full-epoch]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/java-home.sh"  # a JDK that can run FFM code (25+)
lib="${CLCREC_LIBRARY:-$root/build/native/libclcrec.so}"
cd "$root"
if [[ ! -d target/test-classes/dev/clcrec/cli || ! -d target/lib ]]; then  # the harness lives in java/bench
  mvn -B -q package -DskipTests
fi
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dclcrec.library="$lib" -Xmx8g \
  -cp "target/classes:target/test-classes:target/lib/*" dev.clcrec.cli.BenchTrain "$@"
