#!/usr/bin/env bash
# Epoch times on the bundled data of an ordinary process, of one process replaying N ranks
# (--replay-ranks) and of N real ranks (--nproc, with and without --rank-order-reduction), then how
# far apart their losses and metrics are: a replay must equal its ranks to the float64 order of the
# sharded evaluation. Usage: scripts/bench-replay.sh [OUT_DIR]   (default /tmp/bench-replay)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-/tmp/bench-replay}"
A="train --data_path test-data --num_neg 128 --batch_size 256 --num_epoch 2 --seed 1 --device cpu --num_workers 1 --lr_lambda 0.5 --temp_value 2.0"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); commit $(git rev-parse --short HEAD)"
rm -rf "$out"; mkdir -p "$out"

run() {
  local name=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e s wall, %M KB peak RSS (this process)" scripts/clcrec $A "$@" --out "$out/$name" > "$out/$name.log" 2>&1
  python3 - "$out" "$name" "$load" "$*" <<'PY'
import csv, sys
out, name, load, flags = sys.argv[1:5]
rows = list(csv.DictReader(open(f"{out}/{name}/epochs.csv")))
wall = open(f"{out}/{name}.log").read().strip().splitlines()[-1]
col = lambda c: " / ".join(r[c] for r in rows)
print(f"{flags:45s} | train s {col('train_s')} | native step s {col('native_step_s')} | losses {col('loss')} | {wall} | load {load}")
PY
}

run single1   --threads 1
run replay2t1 --threads 1 --replay-ranks 2
run ranks2    --threads 1 --nproc 2
run replay2t2 --threads 2 --replay-ranks 2
run ranks3    --threads 1 --nproc 3
run ranks3ro  --threads 1 --nproc 3 --rank-order-reduction
run replay3   --threads 1 --replay-ranks 3

python3 - "$out" <<'PY'
import csv, sys
out = sys.argv[1]
rows = lambda n: list(csv.DictReader(open(f"{out}/{n}/epochs.csv")))
def compare(a, b):
    worst, n = 0.0, 0
    for x, y in zip(rows(a), rows(b)):
        for k in x:
            if "@" in k or k in ("loss", "loss_re", "loss_ui", "reg", "mat"):
                u, v = float(x[k]), float(y[k]); n += 1
                if u != 0: worst = max(worst, abs(u - v) / abs(u))
    print(f"{a} vs {b}: {n} losses and metrics, max relative difference {worst:.3g}")
compare("ranks2", "replay2t1"); compare("ranks2", "replay2t2"); compare("ranks2", "single1")
compare("ranks3ro", "replay3"); compare("ranks3", "replay3")
PY
