#!/usr/bin/env bash
# Installs what is missing, builds the native engine and runs every test (JUnit 5), installs the
# jar into the local Maven repository and builds and runs java/examples/ against that artifact.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/java-home.sh
mvn -B install "$@"
scripts/example.sh
