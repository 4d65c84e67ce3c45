#!/usr/bin/env bash
# Native-memory soak: RSS over training steps and recommend calls (dev.clcrec.api.bench.RssSoak).
# Usage: scripts/bench-rss.sh [data=test-data] [steps=10000] [calls=100000] [threads=1]
# Needs the jar and target/lib (mvn -B package -DskipTests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/java-home.sh
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g \
  -Dclcrec.library="${CLCREC_LIBRARY:-$root/build/native/libclcrec.so}" \
  -cp "${CLCREC_CLASSES:-target/classes}:target/test-classes:target/lib/*" dev.clcrec.api.bench.RssSoak "$@"
