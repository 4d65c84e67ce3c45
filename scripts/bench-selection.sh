#!/usr/bin/env bash
# Model selection and tuning on the real MovieLens data (Debian dslabs), honest protocol (negatives
# exclude only training items), for BENCHMARKS.md (issue 11). For each selection rule,
# val:cold:recall@10 and val:all:recall@10, `tune` runs for MINUTES (trials train with seed 1),
# then the best configuration trains over seeds 1..3. Beside them the benchmark defaults
# (BENCHMARKS' real-MovieLens flags) train over seeds 1..3.
# Training is shortened for a shared 2-core machine: --batch_size 1024 (3x fewer encoder rows per
# pair), 6 epochs, one LibTorch thread per training, two of the three seeds at a time; all jobs use
# the same. With --patience equal to
# --num_epoch the stopping rule never fires, so the defaults' trainings are the same under either
# rule: they run once (selecting on val:cold:recall@10) and the val:all:recall@10 choice is read
# from each run's full-precision epochs.csv (the epoch `train --select-on val:all:recall@10` picks,
# as SelectionRuleTest checks).
#   scripts/bench-selection.sh OUT_DIR [MINUTES]     (logs: OUT_DIR/*.log)
set -euo pipefail
out=${1:?usage: bench-selection.sh OUT_DIR [MINUTES]}
minutes=${2:-12}
root=$(cd "$(dirname "$0")/.." && pwd)
clcrec="$root/scripts/clcrec"
data="$out/dslabs/prepared"
mkdir -p "$out"
[ -d "$data" ] || "$root/scripts/dslabs-movielens.sh" "$out/dslabs" > "$out/prepare.log" 2>&1
common=(--data_path "$data" --num_epoch 6 --patience 6 --batch_size 1024 --ks 10,20 --seed 1)
defaults=(--l_r 0.003 --num_neg 64 --lr_lambda 0.5 --temp_value 2 --reg_weight 0.1 --dim_E 32 --num_sample 0.5)
# num_neg and dim_E are kept to sizes whose epochs fit the budget; the rest is the default space
cat > "$out/space.json" <<'JSON'
{"l_r": {"log_uniform": [0.0003, 0.03]}, "num_neg": {"choice": [32, 64, 128]}, "dim_E": {"choice": [32, 64]}}
JSON
tuned() { # criterion name
  "$clcrec" tune --trials 40 --minutes "$minutes" --threads 1 --min-epochs 1 --eta 3 --select-on "$1" \
    --space "$out/space.json" \
    --out "$out/tune-$2" "${common[@]}"
  "$clcrec" train "@$out/tune-$2/best.args" --runs 3 --parallel 2 --out "$out/best-$2"
}
(tuned val:cold:recall@10 cold > "$out/tuned-cold.log" 2>&1) &
(tuned val:all:recall@10 all > "$out/tuned-all.log" 2>&1) &
("$clcrec" train "${common[@]}" "${defaults[@]}" --threads 1 --select-on val:cold:recall@10 --runs 3 --parallel 2 \
   --out "$out/defaults" > "$out/defaults.log" 2>&1) &
wait
# the defaults under val:all:recall@10: per seed, the first epoch with the largest val_all_recall@10
for f in "$out"/defaults/run-seed*/epochs.csv; do
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
           $c["val_all_recall@10"] > best { best = $c["val_all_recall@10"]; e = $1;
             r = $c["test_cold_recall@10"]; n = $c["test_cold_ndcg@10"]; a = $c["test_all_recall@10"] }
           END { printf "%s epoch %s val_all_recall@10 %.5f test_cold_recall@10 %.5f test_cold_ndcg@10 %.5f test_all_recall@10 %.5f\n", FILENAME, e, best, r, n, a }' best=-1 "$f"
done | tee "$out/defaults-val-all.txt"
echo "done: $out"
