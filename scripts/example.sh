#!/usr/bin/env bash
# Builds and runs java/examples/ against the dev.clcrec:clcrec artifact installed in the local Maven
# repository (mvn install first), from outside this checkout's build folders and without
# CLCREC_LIBRARY, so the engine must come out of the jar itself.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/java-home.sh"
ex="$root/java/examples"
mvn -B -q -f "$ex/pom.xml" package
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cd "$out"
env -u CLCREC_LIBRARY "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "$ex/target/classes:$ex/target/lib/*" example.ConsumerExample "$root/test-data" "$out"
