#!/usr/bin/env bash
# Regenerates the Java bindings (package dev.clcrec.ffi, header class clcrec_h) from the C
# contract native/include/clcrec.h. The generated code is committed untouched; run this after
# every header change and commit the result together with the header.
#
# Needs a `jextract` (22 or later) on PATH; one built against Debian's libclang needs the packages
# libclang1-14 (libclang.so) and libclang-common-14-dev (clang's builtin headers such as stdint.h). No library name is baked into the bindings: they
# resolve symbols through the loader lookup, after dev.clcrec.engine.NativeLibrary has
# System.load()ed libclcrec.so.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
header="$root/native/include/clcrec.h"
out="$root/java/src/main/java"
pkg_dir="$out/dev/clcrec/ffi"

if ! command -v jextract >/dev/null 2>&1; then
  echo "error: jextract not found on PATH." >&2
  echo "       Get it from https://jdk.java.net/jextract/ (or build openjdk/jextract) and put its bin/ on PATH." >&2
  exit 1
fi

# jextract builds ship clang's builtin headers (stddef.h, stdint.h, ...); a jextract running
# against a system libclang may not find them, so pass the system clang's include dir if any.
extra=()
probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT
printf '#include <stdint.h>\n' > "$probe/probe.h"
if ! jextract --output "$probe/out" "$probe/probe.h" >/dev/null 2>&1; then
  for dir in /usr/lib/llvm-*/lib/clang/*/include /usr/lib/clang/*/include; do
    if [[ -f "$dir/stdint.h" ]]; then
      extra+=(-I "$dir")
      break
    fi
  done
fi

# Keep only what clcrec.h itself declares (not the glibc/stdint.h macros and typedefs it
# includes): list every symbol with --dump-includes, keep the lines from our header.
jextract "${extra[@]}" --dump-includes "$probe/all.txt" "$header" >/dev/null
grep -E "^--include-[a-z]+ +clcrec_|^--include-[a-z]+ +CLCREC_" "$probe/all.txt" \
  | grep -F "$header" | sed 's/ *#.*$//' \
  | grep -v -x -e '--include-struct clcrec_model' -e '--include-struct clcrec_group' > "$probe/includes.txt"  # opaque handles: no layout
if ! grep -q -- '--include-function clcrec_abi_version' "$probe/includes.txt"; then
  echo "error: could not list the symbols of $header (see: jextract --dump-includes)" >&2
  exit 1
fi

rm -rf "$pkg_dir"
jextract "${extra[@]}" \
  @"$probe/includes.txt" \
  --output "$out" \
  --target-package dev.clcrec.ffi \
  --header-class-name clcrec_h \
  "$header"
echo "bindings written to $pkg_dir"
