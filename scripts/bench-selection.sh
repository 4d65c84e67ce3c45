#!/usr/bin/env bash
# Model selection and tuning on the real MovieLens data (Debian dslabs), honest protocol (negatives
# exclude only training items), for BENCHMARKS.md (issue 11). For each selection rule,
# val:cold:recall@10 and val:all:recall@10, three jobs run side by side:
#   1. `tune` for MINUTES (trials train with seed 1), then the best configuration over seeds 1..3;
#   2. the benchmark defaults (BENCHMARKS' real-MovieLens flags) over seeds 1..3.
# Training is shortened for a shared 2-core machine: --batch_size 1024 (3x fewer encoder rows per
# pair), at most 20 epochs, patience 4, one LibTorch thread per job; all jobs use the same.
#   scripts/bench-selection.sh OUT_DIR [MINUTES]     (logs: OUT_DIR/*.log)
set -euo pipefail
out=${1:?usage: bench-selection.sh OUT_DIR [MINUTES]}
minutes=${2:-22}
root=$(cd "$(dirname "$0")/.." && pwd)
clcrec="$root/scripts/clcrec"
data="$out/dslabs/prepared"
mkdir -p "$out"
[ -d "$data" ] || "$root/scripts/dslabs-movielens.sh" "$out/dslabs" > "$out/prepare.log" 2>&1
common=(--data_path "$data" --num_epoch 20 --patience 4 --batch_size 1024 --ks 10,20 --seed 1)
defaults=(--l_r 0.003 --num_neg 64 --lr_lambda 0.5 --temp_value 2 --reg_weight 0.1 --dim_E 32 --num_sample 0.5)
# num_neg and dim_E are kept to sizes whose epochs fit the budget; the rest is the default space
cat > "$out/space.json" <<'JSON'
{"l_r": {"log_uniform": [0.0003, 0.03]}, "num_neg": {"choice": [32, 64, 128]}, "dim_E": {"choice": [32, 64]}}
JSON
tuned() { # criterion name
  "$clcrec" tune --trials 40 --minutes "$minutes" --threads 1 --select-on "$1" --space "$out/space.json" \
    --out "$out/tune-$2" "${common[@]}"
  "$clcrec" train "@$out/tune-$2/best.args" --runs 3 --out "$out/best-$2"
}
untuned() { # criterion name
  "$clcrec" train "${common[@]}" "${defaults[@]}" --threads 1 --select-on "$1" --runs 3 --out "$out/defaults-$2"
}
(tuned val:cold:recall@10 cold > "$out/tuned-cold.log" 2>&1) &
(tuned val:all:recall@10 all > "$out/tuned-all.log" 2>&1) &
(untuned val:cold:recall@10 cold > "$out/defaults-cold.log" 2>&1; \
 untuned val:all:recall@10 all > "$out/defaults-all.log" 2>&1) &
wait
echo "done: $out"
