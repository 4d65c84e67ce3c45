#!/usr/bin/env bash
# Step time against the size of the id table, dense Adam and --sparse-updates
# (see dev.clcrec.engine.bench.TableSizeBenchmark).
# Usage: scripts/bench-table.sh NUM_USER dense|sparse [steps] [warmup] [threads]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/scripts/java-home.sh"  # a JDK that can run FFM code (25+)
java_bin="$JAVA_HOME/bin/java"
exec "$java_bin" --enable-native-access=ALL-UNNAMED -Xmx2g \
  -Dclcrec.library="${CLCREC_LIBRARY:-$root/build/native/libclcrec.so}" \
  -cp target/classes:target/test-classes dev.clcrec.engine.bench.TableSizeBenchmark "$@"
