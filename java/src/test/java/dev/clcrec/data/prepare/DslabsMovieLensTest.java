package dev.clcrec.data.prepare;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real MovieLens through scripts/dslabs-movielens.sh (needs Rscript + r-cran-dslabs; skipped otherwise). */
class DslabsMovieLensTest {
    @Test
    void dslabsMovieLensPreparesAndLoads(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(dslabsAvailable(), "skipped: Rscript with the dslabs package is not installed "
                + "(apt install r-cran-dslabs)");
        Path classes = Path.of("target/classes");
        Assumptions.assumeTrue(Files.isDirectory(classes), "skipped: target/classes missing");
        Process p = new ProcessBuilder("bash", "scripts/dslabs-movielens.sh", tmp.toString(), "--seed", "1")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "script finished");
        assertEquals(0, p.exitValue(), out);
        try (Dataset d = Datasets.open(tmp.resolve("prepared"))) {
            // dslabs' movielens: 100,004 ratings by 671 users of 9,066 movies
            assertEquals(671, d.numUser());
            assertEquals(9066, d.numItem());
            assertEquals(100004, d.train().size() + d.heldOut(Split.VAL, Setting.ALL).size()
                    + d.heldOut(Split.TEST, Setting.ALL).size());
            assertEquals(List3.NAMES, d.content().modalities().stream().map(m -> m.name()).toList());
            assertEquals("Toy Story", titleOf(tmp, "1"));
        }
    }

    private static String titleOf(Path tmp, String movieId) throws Exception {
        for (String line : Files.readAllLines(tmp.resolve("raw/movies.csv"))) {
            if (line.startsWith(movieId + ",")) {
                return MovieInfo.fromTitle(movieId, line.split(",")[1].replace("\"", ""), java.util.List.of()).title();
            }
        }
        return null;
    }

    private static final class List3 {
        static final java.util.List<String> NAMES = java.util.List.of("genre", "year", "title");
    }

    static boolean dslabsAvailable() {
        try {
            Process p = new ProcessBuilder("Rscript", "-e", "quit(status = if (requireNamespace('dslabs', quietly = TRUE)) 0 else 1)")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
