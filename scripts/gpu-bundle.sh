#!/usr/bin/env bash
# Packs what scripts/gpu-check.sh needs on a GPU machine that has PyTorch, CMake and nvcc but no JDK
# and no registry: a jlinked JDK 25, the built classes, the runtime jars and the JUnit console
# launcher, compressed to fit a 64 MiB transfer, plus .gpu/run.sh, which unpacks them and runs the
# check into $OUT/gc. Writes .gpu/ (ignored through .git/info/exclude).
# Usage: scripts/gpu-bundle.sh    then, on the GPU machine, from the repository root: bash .gpu/run.sh [command]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source scripts/java-home.sh
junit_version=1.14.1  # the JUnit platform of pom.xml's junit-bom 5.14.1
mvn -B -q package -DskipTests
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mvn -B -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_version" \
  -DoutputDirectory="$work"

# java.management: the distributed tests start rank JVMs with this JVM's flags (RankProcesses).
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,java.xml,java.naming,java.sql,jdk.unsupported,jdk.management,java.instrument,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --compress zip-9 --output "$work/jdk"
mkdir -p "$work/stage/target/lib"
cp -r target/classes target/test-classes "$work/stage/target/"
cp "$work"/junit-platform-console-standalone-*.jar "$work/stage/junit.jar"
# The engine, training and benchmark classes need none of the service's Kafka, compression or chart jars.
for jar in target/lib/*.jar; do
  case "$(basename "$jar")" in
    kafka-*|zstd-*|snappy-*|lz4-*|pdfbox*|fontbox*|xchart*|graphics2d*|VectorGraphics2D*|animated-gif*|jline*) ;;
    *) cp "$jar" "$work/stage/target/lib/" ;;
  esac
done

rm -rf .gpu
mkdir -p .gpu
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
tar -cJf .gpu/jdk.tar.xz -C "$work" jdk
tar -cJf .gpu/bundle.tar.xz -C "$work/stage" .
cat > .gpu/run.sh <<'RUN'
#!/usr/bin/env bash
# Unpacks the JDK and the built jars (scripts/gpu-bundle.sh), then runs scripts/gpu-check.sh into
# $OUT/gc, or the command given instead (e.g. bash .gpu/run.sh scripts/gpu-screens.sh ...).
set -uo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
mkdir -p /tmp/gpu-jdk && tar -xJf .gpu/jdk.tar.xz -C /tmp/gpu-jdk && tar -xJf .gpu/bundle.tar.xz -C . || exit 1
export JAVA_HOME=/tmp/gpu-jdk/jdk CLCREC_JUNIT_CONSOLE="$PWD/junit.jar"
"$JAVA_HOME/bin/java" -version 2>&1 | head -n 1
python3 -c 'import torch, torch.distributed as d; print("torch", torch.__version__, "cuda", torch.version.cuda, "nccl", d.is_nccl_available())'
echo "unpacked in $(( $(date +%s) - t0 )) s"
if [ $# -gt 0 ]; then
  "$@"
else
  bash scripts/gpu-check.sh "${OUT:-build}/gc" 2>&1 | tee "${OUT:-build}/gpu-check.log"
fi
echo "total $(( $(date +%s) - t0 )) s"
RUN
chmod +x .gpu/run.sh
du -sh .gpu/*
echo "carry .gpu and run: bash .gpu/run.sh [command]"
