#!/usr/bin/env bash
# Checks the engine on a CUDA GPU: builds libclcrec.so against the LibTorch of the local PyTorch
# install (CUDA, with the NCCL backend), runs the native parity tests with every model on the GPU and
# data-parallel training over NCCL (NcclTrainingTest), then times training steps, one full epoch and
# the six-split evaluation at the MovieLens shape.
#
# Needs python3 with a CUDA build of torch, cmake, g++, a JDK 25 (JAVA_HOME), a built checkout
# (target/classes, target/test-classes and target/lib: `mvn -B package -DskipTests`) and the JUnit
# console launcher jar (junit-platform-console-standalone) in $CLCREC_JUNIT_CONSOLE.
# Usage: scripts/gpu-check.sh [results-dir]    (logs are written there)
# On a machine without a JDK: scripts/gpu-bundle.sh here, carry .gpu there and run bash .gpu/run.sh.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-build/gpu-check}"
mkdir -p "$out"
java="${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java"
junit="${CLCREC_JUNIT_CONSOLE:?set CLCREC_JUNIT_CONSOLE to the junit-platform-console-standalone jar}"

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$out/gpu.txt"
scripts/build-cuda.sh "$out/build.log" || exit 1
lib="$root/build/cuda/libclcrec.so"
classpath="target/classes:target/test-classes:$(printf '%s:' target/lib/*.jar)"

echo "== parity tests on the GPU"
# The launcher runs from the JVM class path (not --class-path) so that tests which start child
# JVMs with java.class.path find the test classes.
timeout 240 "$java" --enable-native-access=ALL-UNNAMED -Xmx4g -Dclcrec.library="$lib" -Dclcrec.test.device=cuda \
  -Dclcrec.fixtures="$root/java/src/test/resources/fixtures" -cp "$junit:$classpath" \
  org.junit.platform.console.ConsoleLauncher execute \
  --select-package dev.clcrec.engine --select-class dev.clcrec.eval.NativeRankingFixtureTest \
  --select-class dev.clcrec.train.NcclTrainingTest \
  --details=tree --disable-banner > "$out/tests.log" 2>&1
grep -E '✘|tests (successful|failed|skipped)|over NCCL|NCCL needs' "$out/tests.log" | head -n 60

echo "== training step at the MovieLens shape (CUDA)"
CLCREC_LIBRARY="$lib" timeout 90 scripts/bench-step.sh 40 10 0 CUDA 2>&1 | tee "$out/bench-step.log"

echo "== one epoch and the evaluation at the MovieLens shape (CUDA)"
CLCREC_LIBRARY="$lib" timeout 150 scripts/bench-train.sh --device cuda --full-epoch --workers 4 2>&1 \
  | tee "$out/bench-train.log"
