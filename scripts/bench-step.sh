#!/usr/bin/env bash
# Step benchmark on random data (see dev.clcrec.engine.bench.StepBenchmark), by default at the
# paper's MovieLens shape.
# Usage: scripts/bench-step.sh [steps] [warmup] [threads] [CPU|CUDA|AUTO] [users items warm widths batch num_neg]
#   MovieLens-100K: scripts/bench-step.sh 40 5 2 CPU 943 1682 1346 19,10,64 256 128
#   Amazon, 16-d:   scripts/bench-step.sh 10 2 2 CPU 27044 86506 68810 16 256 512
# Library: $CLCREC_LIBRARY or build/native/libclcrec.so (build it first: mvn -B package -DskipTests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/scripts/java-home.sh"  # a JDK that can run FFM code (25+)
java_bin="$JAVA_HOME/bin/java"
if [[ ! -d target/test-classes/dev/clcrec/engine/bench ]]; then  # the harnesses live in java/bench
  mvn -B -q -o test-compile -DskipNative=true
fi
exec "$java_bin" --enable-native-access=ALL-UNNAMED -Xmx2g \
  -Dclcrec.library="${CLCREC_LIBRARY:-$root/build/native/libclcrec.so}" \
  -cp target/classes:target/test-classes dev.clcrec.engine.bench.StepBenchmark "$@"
