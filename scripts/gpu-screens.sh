#!/usr/bin/env bash
# Accuracy screens on a GPU machine: trains every setting for every seed at once on one device and
# prints each run's selected validation and test metrics. Needs JAVA_HOME (a JDK 25) and a built
# tree (target/classes, target/lib); builds the shim against the local CUDA PyTorch first
# (scripts/build-cuda.sh) unless CLCREC_LIBRARY names a library.
#
# Usage: scripts/gpu-screens.sh RAW_TARBALL MINUTES 'SEEDS' NAME='FLAGS' [NAME='FLAGS' ...]
#   RAW_TARBALL  a .tar.xz of one directory `raw/` that `clcrec prepare` reads (e.g. citeulike-t's
#                users.dat, mult.dat, vocabulary.dat, tag-item.dat), packed here with
#                tar -cJf .gpu/cul.tar.xz -C DIR raw   so that it travels in .gpu/
#   MINUTES      --max-minutes of every run: runs sharing one GPU get unequal epochs in equal minutes,
#                so compare settings at their selected epochs and say how many each ran
#   SEEDS        e.g. '1 2 3'
#   NAME='FLAGS' a setting: a name for its logs and its train flags ('' = the defaults)
# On a GPU machine without a JDK (scripts/gpu-bundle.sh here, .gpu carried there), e.g. for
# BENCHMARKS.md, "CiteULike-t on the GPU":
#   bash .gpu/run.sh scripts/gpu-screens.sh .gpu/cul.tar.xz 4.3 '1 2 3' def='' neg64='--num_neg 64'
# Logs, results.json and epochs.csv go to $OUT/runs (or build/gpu-screens/runs). SCREEN_DEVICE
# (default cuda) tries the script on a CPU machine: SCREEN_DEVICE=cpu CLCREC_LIBRARY=build/native/libclcrec.so
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [[ $# -lt 4 ]]; then
  sed -n '2,21p' "$0" >&2
  exit 2
fi
raw_tarball=$1 minutes=$2 seeds=$3
shift 3
[[ -f "$raw_tarball" ]] || { echo "gpu-screens: RAW_TARBALL $raw_tarball not found" >&2; exit 2; }
java="${JAVA_HOME:?set JAVA_HOME to a JDK 25}/bin/java"
[[ -d target/classes && -d target/lib ]] || { echo "gpu-screens: build first (mvn -B package -DskipTests)" >&2; exit 2; }
out="${OUT:-build/gpu-screens}"
mkdir -p "$out/runs"
t0=$(date +%s)

lib="${CLCREC_LIBRARY:-}"
if [[ -z "$lib" ]]; then
  scripts/build-cuda.sh "$out/build.log" || exit 1
  lib="$root/build/cuda/libclcrec.so"
fi
classpath="target/classes:target/lib/*"
data_dir="$(mktemp -d)"
tar -xJf "$raw_tarball" -C "$data_dir" || exit 1
"$java" -cp "$classpath" dev.clcrec.cli.Main prepare "$data_dir/raw" -o "$data_dir/prepared" --name screens 2>&1 | tail -n 1
echo "ready after $(( $(date +%s) - t0 )) s"

run_dir="$(mktemp -d)"
for setting in "$@"; do
  name="${setting%%=*}"
  flags="${setting#*=}"
  for seed in $seeds; do
    tag="$name-s$seed"
    (
      # shellcheck disable=SC2086  # the setting's flags are split on purpose
      "$java" --enable-native-access=ALL-UNNAMED -Dclcrec.library="$lib" -Xmx6g -cp "$classpath" \
        dev.clcrec.cli.Main train --data_path "$data_dir/prepared" --device "${SCREEN_DEVICE:-cuda}" \
        --ks 10,20 --threads 1 --max-minutes "$minutes" --seed "$seed" --out "$run_dir/$tag" $flags \
        > "$out/runs/$tag.log" 2>&1
      echo "exit status $?" >> "$out/runs/$tag.log"
      cp "$run_dir/$tag/results.json" "$out/runs/$tag.results.json" 2>/dev/null
      cp "$run_dir/$tag/epochs.csv" "$out/runs/$tag.epochs.csv" 2>/dev/null
    ) &
  done
done
wait
echo "all runs ended after $(( $(date +%s) - t0 )) s"
# One line a run (a device's output comes back short): the selected epoch of the epochs run, why it
# stopped, then the metrics at the selected epoch.
python3 - "$out/runs" <<'SUMMARY'
import glob, json, os, sys
def at(best, split, setting, k, metric):
    for e in best["eval"]["entries"]:
        if e["split"] == split and e["setting"] == setting:
            return e["atK"][str(k)][metric]
    return float("nan")
print("run best/epochs stop | val: all R@10 cold R@20 warm R@20 | test: all R@10 cold R@20 cold N@10 warm R@20")
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.results.json"))):
    r = json.load(open(path))
    b = r["best"]
    cells = [at(b, "VAL", "ALL", 10, "recall"), at(b, "VAL", "COLD", 20, "recall"), at(b, "VAL", "WARM", 20, "recall"),
             at(b, "TEST", "ALL", 10, "recall"), at(b, "TEST", "COLD", 20, "recall"), at(b, "TEST", "COLD", 10, "ndcg"),
             at(b, "TEST", "WARM", 20, "recall")]
    print(f'{os.path.basename(path)[:-len(".results.json")]} {b["epoch"]}/{len(r["history"])} {r["stop_reason"]} | '
          + " ".join(f"{c:.4f}" for c in cells[:3]) + " | " + " ".join(f"{c:.4f}" for c in cells[3:]))
SUMMARY
grep -L 'exit status 0' "$out"/runs/*.log | sed 's/^/failed or unfinished: /'
rm -rf "$run_dir" "$data_dir"
