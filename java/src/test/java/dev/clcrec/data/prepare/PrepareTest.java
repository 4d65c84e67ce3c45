package dev.clcrec.data.prepare;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.data.Datasets;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.data.npy.NpyWriter;
import dev.clcrec.engine.FeatureMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrepareTest {
    @TempDir
    Path tmp;

    static final String[] GENRES = {"Action", "Comedy", "Drama", "Horror"};

    /** 60 users x 40 movies, every user rates 12 random movies (seeded). */
    private static List<int[]> ratings() {
        Random r = new Random(7);
        List<int[]> out = new ArrayList<>();
        for (int u = 1; u <= 60; u++) {
            java.util.Set<Integer> seen = new java.util.TreeSet<>();
            while (seen.size() < 12) {
                seen.add(1 + r.nextInt(40));
            }
            for (int m : seen) {
                out.add(new int[] {u, m, 1 + r.nextInt(5)});
            }
        }
        return out;
    }

    private Path writeLatest() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("latest"));
        StringBuilder rs = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int[] x : ratings()) {
            rs.append(x[0]).append(',').append(x[1]).append(',').append(x[2]).append(".0,1000\n");
        }
        rs.append("1,1,5.0,1001\n"); // duplicate of an existing pair? only if user 1 rated movie 1
        Files.writeString(d.resolve("ratings.csv"), rs);
        StringBuilder ms = new StringBuilder("movieId,title,genres\n");
        for (int m = 1; m <= 40; m++) {
            ms.append(m).append(",\"Movie, number ").append(m).append(" (").append(1950 + m).append(")\",")
                    .append(GENRES[m % 4]).append('|').append(GENRES[(m / 4) % 4]).append('\n');
        }
        Files.writeString(d.resolve("movies.csv"), ms);
        return d;
    }

    @Test
    void movieLensLatestFollowsTheProtocol() throws IOException {
        Path out = tmp.resolve("out");
        Prepare.Report r = Prepare.movieLens(writeLatest(), out, PrepareOptions.defaults("ml").withSeed(3));
        try (Dataset d = Datasets.open(out)) {
            assertEquals(60, d.numUser());
            assertEquals(40, d.numItem());
            assertEquals(8, d.numColdItem()); // 20% of 40
            assertEquals(720, d.train().size() + d.heldOut(Split.VAL, Setting.ALL).size()
                    + d.heldOut(Split.TEST, Setting.ALL).size());
            assertEquals(r.train(), d.train().size());
            // cold items never train; held-out cold interactions split about evenly
            for (int u = 0; u < d.numUser(); u++) {
                for (int i : d.train().row(u)) {
                    assertFalse(d.isCold(i));
                }
                assertTrue(d.train().rowLength(u) > 0);
            }
            long coldVal = d.heldOut(Split.VAL, Setting.COLD).size();
            long coldTest = d.heldOut(Split.TEST, Setting.COLD).size();
            assertTrue(Math.abs(coldVal - coldTest) < 0.35 * (coldVal + coldTest), coldVal + " vs " + coldTest);
            long warmTotal = d.train().size() + d.heldOut(Split.VAL, Setting.WARM).size() + d.heldOut(Split.TEST, Setting.WARM).size();
            double trainShare = d.train().size() / (double) warmTotal;
            assertTrue(trainShare > 0.7 && trainShare < 0.9, "train share " + trainShare);
            // ids map back to MovieLens ids; content: genre multi-hot, year buckets, title words
            var ids = d.ids().orElseThrow();
            assertEquals("1", ids.externalUser(0));
            List<FeatureMatrix> mods = d.content().modalities();
            assertEquals(List.of("genre", "year", "title"), mods.stream().map(FeatureMatrix::name).toList());
            assertEquals(4, mods.get(0).cols());
            int dense = ids.denseItem("6").orElseThrow(); // genres Drama (6%4=2) | Comedy ((6/4)%4=1)
            float[] g = mods.get(0).data().asSlice(dense * 16L, 16).toArray(ValueLayout.JAVA_FLOAT);
            assertArrayEquals(new float[] {0, 1, 1, 0}, g);
            float[] y = mods.get(1).data().asSlice(dense * mods.get(1).cols() * 4, mods.get(1).cols() * 4)
                    .toArray(ValueLayout.JAVA_FLOAT);
            // 1956: 0.6 of the way from the 1950s bucket (index 4) to the 1960s bucket (index 5)
            assertEquals(0.4f, y[4], 1e-5);
            assertEquals(0.6f, y[5], 1e-5);
            assertEquals((1956 - 1900) / 130f, y[y.length - 1], 1e-5);
            float titleSum = 0;
            for (float v : mods.get(2).data().asSlice(dense * 64L * 4, 64 * 4).toArray(ValueLayout.JAVA_FLOAT)) {
                titleSum += v;
            }
            assertEquals(3f, titleSum); // "movie", "number", "6"
        }
        // seeded: the same options give byte-identical output
        Path again = tmp.resolve("again");
        Prepare.movieLens(tmp.resolve("latest"), again, PrepareOptions.defaults("ml").withSeed(3));
        assertArrayEquals(Files.readAllBytes(out.resolve("train.npy")), Files.readAllBytes(again.resolve("train.npy")));
    }

    @Test
    void ml100kAndMl1mFormats() throws IOException {
        Path k100 = Files.createDirectories(tmp.resolve("ml-100k"));
        Path m1 = Files.createDirectories(tmp.resolve("ml-1m"));
        StringBuilder data = new StringBuilder();
        StringBuilder dat = new StringBuilder();
        for (int[] x : ratings()) {
            data.append(x[0]).append('\t').append(x[1]).append('\t').append(x[2]).append("\t881250949\n");
            dat.append(x[0]).append("::").append(x[1]).append("::").append(x[2]).append("::978300760\n");
        }
        Files.writeString(k100.resolve("u.data"), data);
        Files.writeString(m1.resolve("ratings.dat"), dat);
        StringBuilder item = new StringBuilder();
        StringBuilder movies = new StringBuilder();
        for (int m = 1; m <= 40; m++) {
            item.append(m).append("|Film ").append(m).append(" (1995)|01-Jan-1995||http://x");
            for (int g = 0; g < 19; g++) {
                item.append(g == m % 19 ? "|1" : "|0");
            }
            item.append('\n');
            movies.append(m).append("::Film ").append(m).append(" (1995)::Action|Drama\n");
        }
        Files.write(k100.resolve("u.item"), item.toString().getBytes(StandardCharsets.ISO_8859_1));
        Files.write(m1.resolve("movies.dat"), movies.toString().getBytes(StandardCharsets.ISO_8859_1));
        for (Path in : List.of(k100, m1)) {
            Path out = tmp.resolve("out-" + in.getFileName());
            Prepare.movieLens(in, out, PrepareOptions.defaults("x"));
            try (Dataset d = Datasets.open(out)) {
                assertEquals(60, d.numUser());
                assertEquals(40, d.numItem());
                assertEquals(in == k100 ? 19 : 2, d.content().modalities().get(0).cols());
            }
        }
    }

    @Test
    void ratingThresholdAndMinimumCounts() throws IOException {
        Path in = writeLatest();
        Path out = tmp.resolve("thr");
        Prepare.Report r = Prepare.movieLens(in, out, PrepareOptions.defaults("x").withRatingThreshold(4).withMinCounts(3, 3));
        assertTrue(r.belowThreshold() > 0);
        try (Dataset d = Datasets.open(out)) {
            int[] perItem = new int[d.numItem()];
            for (Split s : Split.values()) {
                count(d.heldOut(s, Setting.ALL), perItem);
            }
            count(d.train(), perItem);
            for (int c : perItem) {
                assertTrue(c >= 3, "every kept item has >= 3 interactions");
            }
        }
    }

    private static void count(dev.clcrec.data.Interactions x, int[] perItem) {
        for (int c : x.columns()) {
            perItem[c]++;
        }
    }

    @Test
    void genericCsvWithCsvAndNpyFeatures() throws IOException {
        Path log = tmp.resolve("log.csv");
        StringBuilder s = new StringBuilder("user,item,rating,timestamp\n");
        for (int[] x : ratings()) {
            s.append("user").append(x[0]).append(",item").append(x[1]).append(',').append(x[2]).append(",0\n");
        }
        s.append("user1,item999,5,0\n"); // item without features: dropped
        Files.writeString(log, s);
        StringBuilder csv = new StringBuilder("item,f0,f1,f2\n");
        List<String> ids = new ArrayList<>();
        float[] npy = new float[40 * 2];
        for (int m = 1; m <= 40; m++) {
            csv.append("item").append(m).append(',').append(m).append(",0.5,").append(-m).append('\n');
            ids.add("item" + m);
            npy[(m - 1) * 2] = m * 10;
            npy[(m - 1) * 2 + 1] = 1;
        }
        Files.writeString(tmp.resolve("f.csv"), csv);
        NpyWriter.writeFloats(tmp.resolve("g.npy"), npy, 40, 2);
        Files.write(tmp.resolve("g.ids"), ids);
        Path out = tmp.resolve("gen");
        Prepare.Report r = Prepare.generic(log, List.of(
                new GenericFiles.FeatureSource("f", tmp.resolve("f.csv"), null),
                new GenericFiles.FeatureSource("g", tmp.resolve("g.npy"), tmp.resolve("g.ids"))), out,
                PrepareOptions.defaults("gen"));
        assertEquals(1, r.withoutContent());
        try (Dataset d = Datasets.open(out)) {
            int dense = d.ids().orElseThrow().denseItem("item17").orElseThrow();
            assertArrayEquals(new float[] {17, 0.5f, -17},
                    d.content().modalities().get(0).data().asSlice(dense * 12L, 12).toArray(ValueLayout.JAVA_FLOAT));
            assertArrayEquals(new float[] {170, 1},
                    d.content().modalities().get(1).data().asSlice(dense * 8L, 8).toArray(ValueLayout.JAVA_FLOAT));
        }
        Files.writeString(tmp.resolve("bad.csv"), "item,f0\nitem1,NaN\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Prepare.generic(log,
                List.of(new GenericFiles.FeatureSource("b", tmp.resolve("bad.csv"), null)), tmp.resolve("o2"),
                PrepareOptions.defaults("b")));
        assertTrue(e.getMessage().contains("bad.csv: line 2, field 2 is NaN"), e.getMessage());
    }

    @Test
    void malformedRatingsLine() throws IOException {
        Path in = writeLatest();
        Files.writeString(in.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,2,five,3\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Prepare.movieLens(in, tmp.resolve("o"), PrepareOptions.defaults("x")));
        assertTrue(e.getMessage().contains("ratings.csv: line 2: rating 'five' is not a number"), e.getMessage());
    }
}
