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
# Our jar on the module path as the automatic module dev.clcrec, everything else on the class path:
# native access is granted to dev.clcrec alone, and any restricted call from elsewhere (the
# example, a dependency) fails instead of warning, so this proves the engine needs no wider grant.
clcrec_jar=$(ls "$ex"/target/lib/clcrec-*.jar)
others=$(ls "$ex"/target/lib/*.jar | grep -v -F "$clcrec_jar" | paste -sd: -)
env -u CLCREC_LIBRARY "$JAVA_HOME/bin/java" --module-path "$clcrec_jar" --add-modules dev.clcrec \
  --enable-native-access=dev.clcrec --illegal-native-access=deny \
  -cp "$ex/target/classes:$others" example.ConsumerExample "$root/test-data" "$out"
