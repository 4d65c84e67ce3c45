#!/usr/bin/env bash
# Fold-in on the real dslabs MovieLens (issue 21): how well a user the model never saw is served
# from their interactions, against the same user trained with the model.
#   1. scripts/dslabs-movielens.sh WORK/dslabs (once);
#   2. per seed S: FoldInBenchmark split: 10 % of the users (seeded) held out, the rest written as
#      WORK/split-S (users renumbered; items, warm/cold split and everyone else's pairs unchanged);
#   3. trains model A on the full data (once, training seed 1) and model B-S on WORK/split-S with the
#      same flags (BENCHMARKS' dslabs flags, EPOCHS epochs at most, the 7-epoch rule, best epoch on
#      val Recall@10 over all items), two trainings at a time on one thread each; every run writes
#      its bundle to OUT/bundle;
#   4. FoldInBenchmark evaluate: the held-out users' test Recall/NDCG@10,20 (all, warm, cold) from A
#      and, after recording their training interactions, from B-S (in-process), fold-in timings, then
#      the same users again through `clcrec serve --model B-S/bundle --state DIR` over HTTP (the lists
#      must equal the in-process ones); finally the held-out users of all seeds pooled.
#   scripts/bench-foldin.sh [WORK_DIR] [SEEDS] [EPOCHS]   (default /work/scratch/foldin, "1", 20)
# Build first: mvn -B package -DskipTests. Steps whose output exists are skipped (delete to redo).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/work/scratch/foldin}
seeds=${2:-1}
epochs=${3:-20}
source "$root/scripts/java-home.sh"
java="$JAVA_HOME/bin/java"
cp="$root/target/classes:$root/target/test-classes:$root/target/lib/*"  # harnesses: java/bench
bench=("$java" --enable-native-access=ALL-UNNAMED -Dclcrec.library="$root/build/native/libclcrec.so" -cp "$cp"
  dev.clcrec.api.bench.FoldInBenchmark)
flags=(--num_epoch "$epochs" --patience 7 --ks 10,20 --threads 1 --seed 1 --l_r 0.003 --num_neg 64
  --lr_lambda 0.5 --temp_value 2 --reg_weight 0.1 --dim_E 32)
mkdir -p "$work"
echo "date $(date -u +%FT%TZ); loadavg $(cat /proc/loadavg); $(nproc) cores; commit $(git -C "$root" rev-parse --short HEAD)"
[ -f "$work/dslabs/prepared/manifest.json" ] || "$root/scripts/dslabs-movielens.sh" "$work/dslabs"

train() {  # train DATA OUT: one training, skipped when OUT/bundle exists
  [ -f "$2/bundle/manifest.json" ] && return 0
  rm -rf "$2"
  nice -n 5 "$root/scripts/clcrec" train --data_path "$1" "${flags[@]}" --out "$2" > "$2.log" 2>&1 \
    || { echo "training $2 failed; see $2.log" >&2; return 1; }
  echo "trained $2: $(grep -E 'best epoch|stopped' "$2.log" | tail -n 2 | tr '\n' ' ')"
}

jobs_to_run=("$work/dslabs/prepared $work/modelA")
for s in $seeds; do
  [ -f "$work/split-$s/held_out_users.tsv" ] || "${bench[@]}" split "$work/dslabs/prepared" "$work/split-$s" "$s" 0.1
  jobs_to_run+=("$work/split-$s $work/modelB-$s")
done
running=0
for j in "${jobs_to_run[@]}"; do
  read -r data out <<< "$j"
  train "$data" "$out" &
  running=$((running + 1))
  if [ "$running" -ge 2 ]; then wait -n; running=$((running - 1)); fi
done
wait

port=18093
# The server's write token, in the environment only (never a flag); the harness sends it with the POSTs.
CLCREC_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export CLCREC_TOKEN
for s in $seeds; do
  state="$work/state-$s"
  rm -rf "$state"
  CLCREC_JAVA_OPTS=-Xmx2g "$root/scripts/clcrec" serve --model "$work/modelB-$s/bundle" --state "$state" --port "$port" > "$work/serve-$s.log" 2>&1 &
  pid=$!
  until grep -q '^serving ' "$work/serve-$s.log"; do kill -0 $pid; sleep 0.2; done
  echo "== seed $s: held-out users of $work/split-$s, model A = $work/modelA, model B = $work/modelB-$s"
  "${bench[@]}" evaluate "$work/dslabs/prepared" "$work/split-$s/held_out_users.tsv" "$work/modelA/bundle" \
    "$work/modelB-$s/bundle" "$work/dslabs/raw/ratings.csv" "$work/foldin-$s.json" "http://127.0.0.1:$port" \
    || { kill -TERM $pid; exit 1; }
  kill -TERM $pid
  wait $pid || true
done
reports=()
for s in $seeds; do reports+=("$work/foldin-$s.json"); done
"${bench[@]}" pool "${reports[@]}"
