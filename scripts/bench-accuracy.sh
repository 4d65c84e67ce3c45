#!/usr/bin/env bash
# Cold-start accuracy benchmark (issue 20), for BENCHMARKS.md: on the bundled data (test-data/) and
# on the real MovieLens data of Debian's r-cran-dslabs, train with
#   defaults   no model flags (our defaults, README "Default settings": on content under 1,000 columns,
#              the bundled data's and MovieLens', --temp_value 2 --l_r 0.001 --reg_weight 0.01
#              --hidden_dim 512 --patience 15 --average-weights 0.8 --content-fusion 0,0.1,0.25,0.5,1,2 (content
#              evidence on new items, its weight chosen on validation) and a fixed step size; on 1,000 or more,
#              CiteULike-t's, --dim_E 128 --num_neg 64)
#   paper      the authors' MovieLens flags (--l_r 0.001 --reg_weight 0.1 --num_neg 128
#              --lr_lambda 0.5 --temp_value 2 --num_sample 0.5 --dim_E 64): today's results before the defaults
#   reference  --reference-defaults (the reference's argparse defaults: --lr_lambda 1 ...)
#   id-only    the defaults without content (--lr_lambda 0 --num_sample 0), selected on val warm:
#              the plain collaborative model, warm items only
#   distill    the defaults plus --distill (ALDI-style distillation of the encoder after training; not
#              in the default list): the table shows the same runs before and after it
#   rich       --dim_E 128 --num_neg 64 on any content, the rich-content defaults (not in the default list)
#   groups     the defaults plus --hybrid groups (not in the default list)
#   own-weights the defaults plus --average-weights 0: each epoch's own weights (not in the default list)
#   re-temp    the defaults plus --re-temp-value 0.5, a sharper R-E term (not in the default list)
# each with --runs 3 (seeds 1-3), one LibTorch thread, the reference's selection rule (validation
# Recall@10 over all items; id-only: validation warm Recall@10) and its stopping rule (7 epochs of patience,
# 15 with the thin defaults); then
# evaluates the content-kNN, content-profile and random baselines (`evaluate --baselines`, which do
# not depend on the seed) and writes OUT/table.md: test Recall and NDCG @10/@20, all/warm/cold,
# mean ± sample std over the seeds. Test metrics are only reported, never used to choose.
#   [CONFIGS="defaults paper reference id-only"] scripts/bench-accuracy.sh OUT_DIR [MAX_EPOCHS [DATASETS]]
#     MAX_EPOCHS: most epochs per training (default 60); DATASETS: "bundled dslabs" (default both;
#     "citeulike" adds CiteULike-t, prepared from the raw files in $CITEULIKE_DIR, kept out of the repository);
#     CONFIGS: the configurations to train (default all four); finished ones are not trained again.
# Logs: OUT_DIR/<dataset>/<config>.log; the CPU and OpenBLAS kernels in OUT_DIR/machine.txt.
# Needs a built project (scripts/setup.sh).
set -euo pipefail
out=${1:?usage: bench-accuracy.sh OUT_DIR [MAX_EPOCHS [DATASETS]]}
epochs=${2:-60}
datasets=${3:-bundled dslabs}
root=$(cd "$(dirname "$0")/.." && pwd)
clcrec="$root/scripts/clcrec"
mkdir -p "$out"
# OpenBLAS picks its matrix kernels by CPU, and another kernel set changes a run from its first epoch
# (BENCHMARKS.md, "Content evidence beside the model"): every log names the kernels it ran on
# ("Core: ..."), and OUT/machine.txt says which CPU and kernels this benchmark's runs had.
export OPENBLAS_VERBOSE=2
paper=(--l_r 0.001 --reg_weight 0.1 --num_neg 128 --lr_lambda 0.5 --temp_value 2 --num_sample 0.5 --dim_E 64)
for name in $datasets; do
  case "$name" in
    bundled) data="$root/test-data" ;;
    dslabs)
      data="$out/dslabs-data/prepared"
      [ -d "$data" ] || "$root/scripts/dslabs-movielens.sh" "$out/dslabs-data" > "$out/dslabs-prepare.log" 2>&1 ;;
    citeulike)
      # the raw files of github.com/js05212/citeulike-t (users.dat, mult.dat, vocabulary.dat, tag-item.dat)
      raw=${CITEULIKE_DIR:?set CITEULIKE_DIR to the folder of citeulike-t: users.dat, mult.dat, vocabulary.dat, tag-item.dat}
      data="$out/citeulike-data"
      [ -d "$data" ] || "$clcrec" prepare "$raw" -o "$data" --name citeulike-t > "$out/citeulike-prepare.log" 2>&1 ;;
    *) echo "unknown dataset '$name' (use bundled, dslabs, citeulike)" >&2; exit 2 ;;
  esac
  dir="$out/$name"
  mkdir -p "$dir"
  common=(--data_path "$data" --num_epoch "$epochs" --ks 10,20 --threads 1 --runs 3 --seed 1)
  run() { # config-name flags...
    local cfg=$1; shift
    if [ -f "$dir/$cfg/results.json" ]; then echo "$name/$cfg: done already"; return; fi
    echo "$name/$cfg: $(date -u +%H:%M:%S) start"
    "$clcrec" train "${common[@]}" "$@" --out "$dir/$cfg" > "$dir/$cfg.log" 2>&1
  }
  for cfg in ${CONFIGS:-defaults paper reference id-only}; do
    case "$cfg" in
      defaults) run defaults ;;
      paper) run paper "${paper[@]}" ;;
      reference) run reference --reference-defaults ;;
      id-only) run id-only --lr_lambda 0 --num_sample 0 --select-on val:warm:recall@10 ;;
      distill) run distill --distill ;;
      rich) run rich --dim_E 128 --num_neg 64 ;;
      groups) run groups --hybrid groups ;;
      own-weights) run own-weights --average-weights 0 ;;
      re-temp) run re-temp --re-temp-value 0.5 ;;
      *) echo "unknown configuration '$cfg' (use defaults, paper, reference, id-only, distill, rich, groups," \
              "own-weights, re-temp)" >&2; exit 2 ;;
    esac
  done
  any=$(ls "$dir"/*/run-seed1/best.ckpt 2>/dev/null | head -n 1 || true)
  if [ ! -f "$dir/baselines.txt" ] && [ -n "$any" ]; then
    "$clcrec" evaluate --data_path "$data" --model "$any" --threads 1 --ks 10,20 --baselines > "$dir/baselines.txt"
  fi
done
{
  echo "cpu: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1), $(nproc) cores"
  echo "openblas: $(grep -h -m 1 '^Core:' "$out"/*/*.log 2>/dev/null | head -n 1 || true)"
} > "$out/machine.txt"
python3 "$root/scripts/accuracy-table.py" "$out" $datasets > "$out/table.md"
cat "$out/table.md"
