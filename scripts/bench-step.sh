#!/usr/bin/env bash
# Step benchmark at the MovieLens shape (see dev.clcrec.engine.bench.StepBenchmark).
# Usage: scripts/bench-step.sh [steps] [warmup] [threads] [CPU|CUDA|AUTO]
# Library: $CLCREC_LIBRARY or build/native/libclcrec.so (build it first: mvn -B package -DskipTests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if [[ ! -d target/classes/dev/clcrec/engine/bench ]]; then
  mvn -B -q -o compile -DskipNative=true
fi
exec "$java_bin" --enable-native-access=ALL-UNNAMED -Xmx2g \
  -Dclcrec.library="${CLCREC_LIBRARY:-$root/build/native/libclcrec.so}" \
  -cp target/classes dev.clcrec.engine.bench.StepBenchmark "$@"
