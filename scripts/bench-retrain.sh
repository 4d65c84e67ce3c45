#!/usr/bin/env bash
# Issue 17's numbers: real MovieLens (Debian dslabs) split by time (train = oldest 80%, val = next 10%,
# test = newest 10%), a model trained on train, then in one serving process: evaluate on test, stream val
# in timestamp order, retrain in the process (warm, then in a second process from scratch), evaluate
# again; recommend latency idle and during the retrain.
#   scripts/bench-retrain.sh [WORK_DIR] [TRAIN_MINUTES] [RETRAIN_EPOCHS] [TRAIN_THREADS]
# Build first: mvn -B package -DskipTests (compiles java/bench with the tests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/work/scratch/retrain-bench}
minutes=${2:-6}
epochs=${3:-2}
threads=${4:-1}
source "$root/scripts/java-home.sh"
echo "date $(date -u +%FT%TZ); loadavg $(cat /proc/loadavg); $(nproc) cores"
[ -f "$work/ds/prepared/manifest.json" ] || "$root/scripts/dslabs-movielens.sh" "$work/ds" --split time
[ -f "$work/train80/bundle/manifest.json" ] || "$root/scripts/clcrec" train --data_path "$work/ds/prepared" \
  --out "$work/train80" --num_epoch 60 --patience 7 --ks 10 --threads 2 --l_r 0.003 --num_neg 64 --lr_lambda 0.5 \
  --temp_value 2 --reg_weight 0.1 --dim_E 32 --max-minutes "$minutes"
cp="$root/target/classes:$root/target/test-classes:$root/target/lib/*"
for init in warm scratch; do
  rm -rf "$work/state-$init"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dclcrec.library="$root/build/native/libclcrec.so" \
    -Xmx4g -cp "$cp" dev.clcrec.api.bench.RetrainBenchmark "$work/ds/prepared" "$work/ds/raw/ratings.csv" \
    "$work/train80/bundle" "$work/state-$init" "$init" "$epochs" "$threads"
done
