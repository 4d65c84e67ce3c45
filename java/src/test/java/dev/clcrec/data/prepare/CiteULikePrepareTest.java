package dev.clcrec.data.prepare;

import static org.junit.jupiter.api.Assertions.*;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.data.Datasets;
import dev.clcrec.engine.FeatureMatrix;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CiteULikePrepareTest {
    @TempDir
    Path tmp;

    static final int USERS = 50;
    static final int ITEMS = 40;
    static final int WORDS = 30;

    /**
     * 50 users x 40 articles (each user saves 10); article j has words j%28 (count 2) and (j+1)%28
     * (count 1), so words 1..11 are in 4 articles, 0 and 12 in 3, 13..27 in 2, 28 and 29 in none;
     * tag t < 10 is on articles t, t+10, t+20, t+30, and one more tag on article 5 alone.
     */
    private Path write(String usersOverride) throws IOException {
        Path d = Files.createDirectories(tmp.resolve("cul"));
        Random r = new Random(3);
        StringBuilder users = new StringBuilder();
        for (int u = 0; u < USERS; u++) {
            java.util.Set<Integer> s = new java.util.TreeSet<>();
            while (s.size() < 10) {
                s.add(r.nextInt(ITEMS));
            }
            users.append(s.size());
            s.forEach(j -> users.append(' ').append(j));
            users.append('\n');
        }
        Files.writeString(d.resolve("users.dat"), usersOverride != null ? usersOverride : users.toString());
        StringBuilder mult = new StringBuilder();
        for (int j = 0; j < ITEMS; j++) {
            mult.append("2 ").append(j % 28).append(":2 ").append((j + 1) % 28).append(":1\n");
        }
        Files.writeString(d.resolve("mult.dat"), mult.toString());
        StringBuilder vocab = new StringBuilder();
        for (int w = 0; w < WORDS; w++) {
            vocab.append("word").append(w).append('\n');
        }
        Files.writeString(d.resolve("vocabulary.dat"), vocab.toString());
        StringBuilder tags = new StringBuilder();
        for (int t = 0; t < 10; t++) {
            tags.append("4 ").append(t).append(' ').append(t + 10).append(' ').append(t + 20).append(' ')
                    .append(t + 30).append('\n');
        }
        tags.append("1 5\n"); // a tag on one article: the rarest, cut by --tag-size 10
        Files.writeString(d.resolve("tag-item.dat"), tags.toString());
        return d;
    }

    @Test
    void preparesInteractionsWordsAndTags() throws IOException {
        Path in = write(null);
        assertTrue(CiteULikeFiles.detect(in));
        Path out = tmp.resolve("prepared");
        var o = PrepareOptions.defaults("cul");
        Prepare.Report rep = Prepare.citeULike(in, out, o, new CiteULikeContent.Options(20, 10,
                CiteULikeContent.Weighting.COUNTS));
        assertEquals(USERS, rep.numUser());
        assertEquals(ITEMS, rep.numItem());
        assertEquals(USERS * 10, rep.train() + rep.val() + rep.test());
        try (Dataset d = Datasets.open(out)) {
            List<FeatureMatrix> mods = d.content().modalities();
            assertEquals(List.of("t", "tags"), mods.stream().map(FeatureMatrix::name).toList());
            assertEquals(20, mods.get(0).cols(), "the 20 words in the most articles (28 occur)");
            assertEquals(10, mods.get(1).cols(), "the single-article tag is cut");
            int dense = d.ids().orElseThrow().denseItem("3").orElseThrow();
            float[] w = mods.get(0).data().asSlice(dense * 20L * 4, 20L * 4).toArray(ValueLayout.JAVA_FLOAT);
            // the kept 20 are ranked by df, ties to the lower id: words 0..19
            int[] column = CiteULikeContent.columnsByFrequency(df(), 20);
            assertEquals(2f, w[column[3]]);
            assertEquals(1f, w[column[4]]);
            assertEquals(3f, sum(w));
            float[] t = mods.get(1).data().asSlice(dense * 10L * 4, 10L * 4).toArray(ValueLayout.JAVA_FLOAT);
            assertEquals(1f, t[3]);
            assertEquals(1f, sum(t));
        }
    }

    private static int[] df() {
        int[] df = new int[WORDS];
        for (int j = 0; j < ITEMS; j++) {
            df[j % 28]++;
            df[(j + 1) % 28]++;
        }
        return df;
    }

    private static float sum(float[] v) {
        float s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }

    @Test
    void tfidfDampsWordsInManyArticles() throws IOException {
        Path in = write(null);
        Path out = tmp.resolve("tfidf");
        Prepare.citeULike(in, out, PrepareOptions.defaults("cul"), CiteULikeContent.Options.defaults());
        try (Dataset d = Datasets.open(out)) {
            FeatureMatrix words = d.content().modalities().get(0);
            assertEquals(28, words.cols(), "every word that occurs, fewer than --vocab-size");
            int dense = d.ids().orElseThrow().denseItem("3").orElseThrow();
            float[] w = words.data().asSlice(dense * 28L * 4, 28L * 4).toArray(ValueLayout.JAVA_FLOAT);
            double idf = Math.log(40.0 / 4); // words 3 and 4 are in 4 of the 40 articles
            assertEquals((float) (Math.log1p(2) * idf), w[3], 1e-6f);
            assertEquals((float) (Math.log1p(1) * idf), w[4], 1e-6f);
        }
    }

    @Test
    void badRecordsNameTheFileAndLine() throws IOException {
        Path in = write("2 1 2\n3 4 5\n");
        var e = assertThrows(DatasetFormatException.class, () -> Prepare.citeULike(in, tmp.resolve("x"),
                PrepareOptions.defaults("cul"), CiteULikeContent.Options.defaults()));
        assertTrue(e.getMessage().contains("users.dat: line 2: says 3 entries but has 2"), e.getMessage());
        Path in2 = write("1 40\n");
        e = assertThrows(DatasetFormatException.class, () -> Prepare.citeULike(in2, tmp.resolve("y"),
                PrepareOptions.defaults("cul"), CiteULikeContent.Options.defaults()));
        assertTrue(e.getMessage().contains("users.dat: line 1: item id 40 is outside 0..39"), e.getMessage());
    }
}
