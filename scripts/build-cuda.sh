#!/usr/bin/env bash
# Builds build/cuda/libclcrec.so against the LibTorch of the local PyTorch install (CUDA, with the
# NCCL backend where that LibTorch has it), logging to LOG; on failure prints the log's tail.
# Usage: scripts/build-cuda.sh LOG    (scripts/gpu-check.sh and scripts/gpu-screens.sh call it)
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log="${1:?usage: build-cuda.sh LOG}"
[ -d /usr/local/cuda/bin ] && export PATH="/usr/local/cuda/bin:$PATH"
mkdir -p "$(dirname "$log")"
prefix="$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null)" \
  || { echo "build-cuda: python3 cannot import torch; install a CUDA build of PyTorch" >&2; exit 1; }
echo "== build against $prefix"
built=true
{ cmake -S . -B build/cuda -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
    && cmake --build build/cuda --parallel "$(nproc)"; } > "$log" 2>&1 || built=false
# The configure log says why the NCCL check passed or failed.
cp build/cuda/CMakeFiles/CMakeConfigureLog.yaml build/cuda/CMakeFiles/CMakeError.log "$(dirname "$log")/" 2>/dev/null
if ! $built; then
  tail -n 60 "$log"
  echo "build-cuda: the CUDA build failed (log: $log)" >&2
  exit 1
fi
grep -E 'clcrec: .*NCCL' "$log"
