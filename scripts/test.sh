#!/usr/bin/env bash
# Installs what is missing, builds the native engine and runs every test (JUnit 5).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/java-home.sh
mvn -B test "$@"
