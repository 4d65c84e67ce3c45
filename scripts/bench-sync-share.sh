#!/usr/bin/env bash
# Share of the real training step spent synchronising gradients across ranks, measured inside the
# step with perf uprobes (no instrumented build): the wall time of every clcrec::Model::train_step,
# and of the clcrec::synchronize_gradients / clcrec::exchange_row_gradients calls within it
# (packing, the Gloo all-reduce, waiting for the slower rank, unpacking), per rank thread.
# Needs root (uprobes) and perf. Usage (runs CMD with CLCREC_LIBRARY pointing at a probed copy):
#   scripts/bench-sync-share.sh CMD [ARGS...]
# e.g. scripts/bench-sync-share.sh scripts/clcrec train --data_path test-data ... --nproc 2
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/clcrec-sync-share.XXXXXX)"
lib="$work/libclcrec.so"
cp "${CLCREC_LIBRARY:-$root/build/native/libclcrec.so}" "$lib"
cleanup() { perf probe -q -d 'probe_libclcrec:*' >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
# Local (non-exported) C++ symbols: probed by their mangled names.
for f in step:_ZN6clcrec5Model10train_stepERKNS_10BatchInputE \
         sync:_ZN6clcrec21synchronize_gradientsERNS_16DistributedGroupERKSt6vectorIN2at6TensorESaIS4_EElRK18clcrec_step_result \
         xrows:_ZN6clcrec22exchange_row_gradientsERNS_16DistributedGroupERKNS_11RowGradientEll; do
  perf probe -q --no-demangle -x "$lib" -a "${f%%:*}=${f#*:}"
  perf probe -q --no-demangle -x "$lib" -a "${f%%:*}_ret=${f#*:}%return"
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
CLCREC_LIBRARY="$lib" perf record -q -o "$work/perf.data" -e 'probe_libclcrec:*' -a -- "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
perf script -i "$work/perf.data" -F tid,time,event 2>/dev/null | awk '
  { tid = $1; t = $2; sub(/:$/, "", t); ev = $3; sub(/:$/, "", ev); sub(/^probe_libclcrec:/, "", ev)
    if (ev ~ /_ret__return$/) { b = ev; sub(/_ret__return$/, "", b)
      if ((tid, b) in open) { d = t - open[tid, b]; tot[tid, b] += d; n[tid, b]++; delete open[tid, b]; tids[tid] = 1 } }
    else open[tid, ev] = t }
  END { for (tid in tids) { s = tot[tid, "step"]
          printf "thread %s: %d steps, %.3f s in train_step (mean %.2f ms)", tid, n[tid, "step"], s, 1000 * s / n[tid, "step"]
          if (n[tid, "sync"]) printf "; synchronize_gradients %.3f s = %.1f%%", tot[tid, "sync"], 100 * tot[tid, "sync"] / s
          if (n[tid, "xrows"]) printf "; exchange_row_gradients %.3f s = %.1f%%", tot[tid, "xrows"], 100 * tot[tid, "xrows"] / s
          printf "\n" } }'
