#!/usr/bin/env bash
# Installs what the build needs on a fresh Debian 12 machine (apt, as root or via sudo) and
# builds the native engine plus the Java jar. Safe to run again: installed packages are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

# libtorch-dev: LibTorch 1.13 (CPU); libopenblas0-pthread: a fast BLAS for it (the default
# reference BLAS is ~40x slower); r-cran-dslabs: the real MovieLens data the integration test uses;
# wrk: the HTTP load generator of scripts/bench-serve.sh;
# libgloo-dev: the Gloo headers that LibTorch's c10d headers include (distributed training).
packages=(cmake g++ make maven libtorch-dev libgloo-dev libopenblas0-pthread r-base-core r-cran-dslabs wrk)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

source scripts/java-home.sh
mvn -B -q package -DskipTests
echo "setup: built build/native/libclcrec.so and $(ls target/clcrec-*.jar)" >&2
