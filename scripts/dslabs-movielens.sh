#!/usr/bin/env bash
# Exports Debian r-cran-dslabs' `movielens` data frame (a 100k-rating MovieLens sample with titles,
# years and genres) as ratings.csv + movies.csv in MovieLens' ml-latest format, then runs our
# `prepare` on it.
#   scripts/dslabs-movielens.sh OUT_DIR [prepare options...]
# Writes OUT_DIR/raw/{ratings,movies}.csv and the prepared dataset in OUT_DIR/prepared.
# Needs Rscript with the dslabs package (apt install r-cran-dslabs) and a built project
# (mvn -DskipNative=true package, or target/classes + target/lib from `mvn dependency:copy-dependencies`).
set -euo pipefail
out=${1:?usage: dslabs-movielens.sh OUT_DIR [prepare options...]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
command -v Rscript >/dev/null || { echo "Rscript not found (apt install r-base-core r-cran-dslabs)" >&2; exit 3; }
Rscript -e 'quit(status = if (requireNamespace("dslabs", quietly = TRUE)) 0 else 1)' \
  || { echo "R package dslabs not installed (apt install r-cran-dslabs)" >&2; exit 3; }
mkdir -p "$out/raw"
Rscript --vanilla - "$out/raw" <<'RSCRIPT'
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
suppressMessages(library(dslabs))
data(movielens)
m <- movielens
ratings <- data.frame(userId = m$userId, movieId = m$movieId, rating = m$rating, timestamp = m$timestamp)
write.csv(ratings, file.path(dir, "ratings.csv"), row.names = FALSE, quote = FALSE)
movies <- unique(data.frame(movieId = m$movieId,
                            title = ifelse(is.na(m$year), as.character(m$title),
                                           paste0(as.character(m$title), " (", m$year, ")")),
                            genres = as.character(m$genres), stringsAsFactors = FALSE))
movies <- movies[!duplicated(movies$movieId), ]
movies <- movies[order(movies$movieId), ]
write.csv(movies, file.path(dir, "movies.csv"), row.names = FALSE, fileEncoding = "UTF-8")
cat(sprintf("exported %d ratings, %d movies to %s\n", nrow(ratings), nrow(movies), dir))
RSCRIPT
source "$root/scripts/java-home.sh"  # a JDK that can run FFM code (25+)
cp="$root/target/classes"
if [ -d "$root/target/lib" ]; then cp="$cp:$root/target/lib/*"; else cp="$cp:$(find ~/.m2/repository/info/picocli ~/.m2/repository/com/fasterxml ~/.m2/repository/net/razorvine -name '*.jar' | tr '\n' ':')"; fi
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.clcrec.data.prepare.PrepareCommand \
  "$out/raw" -o "$out/prepared" --name movielens-dslabs "$@"
