#!/usr/bin/env bash
# Issue 17's numbers through the HTTP API of real `clcrec serve --state DIR` processes, on the real
# MovieLens (Debian dslabs) ordered by timestamp (BENCHMARKS.md, "Retraining in the service"):
#  (a) a model trained on the oldest 80% (`prepare --split time-replay`: the dataset holds only what
#      existed at the cut) is served; the next 10% is replayed over HTTP (POST /v1/items for each item
#      first seen there, with its content; POST /v1/interactions), the items first seen in the newest
#      10% are added, and the model is evaluated on the newest 10% (dev.clcrec.api.bench.ReplayBenchmark);
#  (b) POST /v1/admin/retrain in the same server (warm-started, then in a second server from scratch)
#      while paced clients call GET recommendations (latency idle and during the retrain), evaluated again;
#  (c) a model trained offline on the oldest 90% (validation: the 0.1% just before the test cut),
#      served and evaluated the same way.
# Every model is the one after its fixed number of epochs (last.ckpt exported), none selected on val.
#   scripts/bench-retrain.sh [WORK_DIR] [EPOCHS] [WARM_EPOCHS] [SCRATCH_EPOCHS] [TRAIN_THREADS] [ALSO_THREADS] [PORT]
# EPOCHS: the offline trainings (a) and (c); WARM/SCRATCH_EPOCHS: the retrains; TRAIN_THREADS: of every
# training (serve --train-threads for the retrains); ALSO_THREADS: one more warm retrain with that many
# train threads, for the latency trade-off (0: none). Training flags are the defaults (batch 256,
# 128 negatives, dim 64, l_r 0.003, temperature 0.5), the retrains' too. Every process runs at nice 10.
# Build first: mvn -B package -DskipTests (the jar, and java/bench compiled with the tests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/work/scratch/retrain-bench}
epochs=${2:-3}
warm_epochs=${3:-2}
scratch_epochs=${4:-3}
threads=${5:-1}
also_threads=${6:-2}
port=${7:-18717}
source "$root/scripts/java-home.sh"
clcrec=(nice -n 10 "$root/scripts/clcrec")
echo "date $(date -u +%FT%TZ); loadavg $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(lscpu | sed -n 's/^Model name: *//p')"
mkdir -p "$work"
# the data: dslabs MovieLens exported once; the 80% and the 90% time-replay splits of it
[ -f "$work/p80/after-cut/interactions.csv" ] || nice -n 10 "$root/scripts/dslabs-movielens.sh" "$work/ds" \
  --split time-replay --val-fraction 0.1 --test-fraction 0.1
[ -d "$work/p80" ] || mv "$work/ds/prepared" "$work/p80"
[ -f "$work/p90/after-cut/interactions.csv" ] || "${clcrec[@]}" prepare "$work/ds/raw" -o "$work/p90" \
  --name movielens-dslabs-90 --split time-replay --val-fraction 0.001 --test-fraction 0.1
train_flags=(--num_epoch "$epochs" --patience "$epochs" --ks 10 --threads "$threads")
for share in 80 90; do
  if [ ! -f "$work/train$share/bundle/manifest.json" ]; then
    /usr/bin/time -f "train $share%%: %e s wall" "${clcrec[@]}" train --data_path "$work/p$share" \
      --out "$work/train$share" "${train_flags[@]}" > "$work/train$share.log" 2>&1
    tail -12 "$work/train$share.log"
  fi
  # every model here is the one after a fixed number of epochs (the retrains select nothing either)
  [ -f "$work/train$share/last/bundle/manifest.json" ] || "${clcrec[@]}" export --data_path "$work/p$share" \
    --model "$work/train$share/last.ckpt" --out "$work/train$share/last" --threads 1
done
cp="$root/target/classes:$root/target/test-classes:$root/target/lib/*"
# the servers run with an access token, as a deployed one would; the harness sends it on writes
CLCREC_TOKEN=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
export CLCREC_TOKEN
serve_and_run() { # LABEL BUNDLE PREPARED MODE [serve flags...]
  local label=$1 bundle=$2 prepared=$3 mode=$4
  shift 4
  rm -rf "$work/state-$label" "$work/per-user-$label.tsv"
  "${clcrec[@]}" serve --model "$bundle" --state "$work/state-$label" --port "$port" --max-k 20000 "$@" \
    > "$work/serve-$label.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do
    grep -q '^serving ' "$work/serve-$label.log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/serve-$label.log"; return 1; }
    sleep 0.5
  done
  echo "== $label: $(grep '^serving ' "$work/serve-$label.log")"
  nice -n 10 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dclcrec.library="$root/build/native/libclcrec.so" \
    -Dreplay.perUser="$work/per-user-$label.tsv" -Xmx2g -cp "$cp" \
    dev.clcrec.api.bench.ReplayBenchmark "http://127.0.0.1:$port" "$prepared" "$mode" || { kill "$pid"; return 1; }
  kill "$pid"
  wait "$pid" || true
}
# tolerance 1: every candidate is swapped in, so that each is evaluated (the gate's values are printed)
retrain_flags=(--retrain-tolerance 1)
serve_and_run warm "$work/train80/last/bundle" "$work/p80" retrain "${retrain_flags[@]}" --train-threads "$threads" \
  --retrain-from warm --retrain-epochs "$warm_epochs"
[ "$also_threads" -gt 0 ] && serve_and_run "warm-$also_threads-threads" "$work/train80/last/bundle" "$work/p80" retrain \
  "${retrain_flags[@]}" --train-threads "$also_threads" --retrain-from warm --retrain-epochs "$warm_epochs"
serve_and_run scratch "$work/train80/last/bundle" "$work/p80" retrain "${retrain_flags[@]}" --train-threads "$threads" \
  --retrain-from scratch --retrain-epochs "$scratch_epochs"
serve_and_run offline90 "$work/train90/last/bundle" "$work/p90" evaluate
# paired, per evaluated user: each model against the initial one (same users, same test pairs)
python3 "$root/scripts/paired-users.py" "$work/per-user-warm.tsv" "$work/per-user-scratch.tsv" \
  "$work/per-user-offline90.tsv"
echo "done $(date -u +%FT%TZ); loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
