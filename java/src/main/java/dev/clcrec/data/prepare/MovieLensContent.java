package dev.clcrec.data.prepare;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * MovieLens content in three modalities: {@code genre} (multi-hot over the genres present),
 * {@code year} (the release year spread softly over decade buckets 1910s..2010s, plus the year
 * scaled to [0, 1]; all zero when unknown), {@code title} (hashed bag of lower-cased title words).
 */
public final class MovieLensContent implements ItemContent {
    static final int FIRST_DECADE = 1910;
    static final int LAST_DECADE = 2010;
    static final int YEAR_DIM = (LAST_DECADE - FIRST_DECADE) / 10 + 2;
    private static final Set<String> STOP = Set.of("the", "a", "an", "of", "and", "in", "to", "la", "le", "les", "el");

    private final Map<String, MovieInfo> movies;
    private final List<String> genres;
    private final int titleDim;

    public MovieLensContent(Map<String, MovieInfo> movies, int titleDim) {
        this.movies = Map.copyOf(movies);
        TreeSet<String> g = new TreeSet<>();
        movies.values().forEach(m -> g.addAll(m.genres()));
        this.genres = List.copyOf(g);
        this.titleDim = titleDim;
    }

    public List<String> genreNames() {
        return genres;
    }

    @Override
    public List<String> modalityNames() {
        return List.of("genre", "year", "title");
    }

    @Override
    public long dim(int modality) {
        return switch (modality) {
            case 0 -> Math.max(1, genres.size());
            case 1 -> YEAR_DIM;
            default -> titleDim;
        };
    }

    @Override
    public boolean has(String itemId) {
        return movies.containsKey(itemId);
    }

    @Override
    public void fill(int modality, String itemId, MemorySegment row) {
        MovieInfo m = movies.get(itemId);
        row.fill((byte) 0);
        switch (modality) {
            case 0 -> {
                for (String g : m.genres()) {
                    row.setAtIndex(ValueLayout.JAVA_FLOAT, genres.indexOf(g), 1f);
                }
            }
            case 1 -> {
                if (m.year() > 0) {
                    double pos = Math.clamp((m.year() - FIRST_DECADE) / 10.0, 0, YEAR_DIM - 2);
                    int lo = (int) Math.floor(pos);
                    int hi = Math.min(lo + 1, YEAR_DIM - 2);
                    float w = (float) (pos - lo);
                    row.setAtIndex(ValueLayout.JAVA_FLOAT, lo, 1f - w);
                    row.setAtIndex(ValueLayout.JAVA_FLOAT, hi, row.getAtIndex(ValueLayout.JAVA_FLOAT, hi) + w);
                    row.setAtIndex(ValueLayout.JAVA_FLOAT, YEAR_DIM - 1,
                            (float) Math.clamp((m.year() - 1900) / 130.0, 0, 1));
                }
            }
            default -> {
                for (String tok : m.title().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                    if (tok.isEmpty() || STOP.contains(tok)) {
                        continue;
                    }
                    int k = Math.floorMod(fnv1a(tok), titleDim);
                    row.setAtIndex(ValueLayout.JAVA_FLOAT, k, row.getAtIndex(ValueLayout.JAVA_FLOAT, k) + 1f);
                }
            }
        }
    }

    static int fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }
}
