package dev.clcrec.data.prepare;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * CiteULike article content in up to two modalities: {@code t}, the bag of words of {@code mult.dat}
 * over the {@code vocabSize} words that occur in the most articles, and, when {@code tag-item.dat}
 * is there, {@code tags}, multi-hot over the {@code tagSize} tags on the most articles. Dense
 * matrices are what the engine trains on, so the vocabulary is cut (all 20,000 words of
 * citeulike-t would be 2 GB of floats); words and tags are ranked by document frequency, ties to
 * the lower id. The engine L2-normalises every row of each modality, so only a row's direction
 * matters: {@link Weighting#TFIDF} (the default) writes log(1 + count) x log(articles / df), which
 * damps frequent words the way text retrieval does; {@link Weighting#COUNTS} writes the raw counts.
 * Item ids are the line numbers of mult.dat as decimal strings.
 */
public final class CiteULikeContent implements ItemContent {
    /** How a word's count in an article becomes its feature value. */
    public enum Weighting { TFIDF, COUNTS }

    /**
     * @param vocabSize words kept (at most the vocabulary)
     * @param tagSize   tags kept (0: no tag modality)
     * @param weighting bag-of-words values
     */
    public record Options(int vocabSize, int tagSize, Weighting weighting) {
        public Options {
            if (vocabSize < 1) {
                throw new IllegalArgumentException("--vocab-size must be >= 1, got " + vocabSize);
            }
            if (tagSize < 0) {
                throw new IllegalArgumentException("--tag-size must be >= 0, got " + tagSize);
            }
            if (weighting == null) {
                throw new IllegalArgumentException("no bag-of-words weighting given");
            }
        }

        public static Options defaults() {
            return new Options(2000, 1000, Weighting.TFIDF);
        }
    }

    private final List<CiteULikeFiles.Row> words;
    private final int[] wordColumn;   // word id -> column, -1 when cut
    private final float[] idf;        // by word id
    private final int vocabKept;
    private final List<int[]> tagsOfItem; // item -> kept tag columns (null: no tag modality)
    private final int tagsKept;
    private final Weighting weighting;

    private CiteULikeContent(List<CiteULikeFiles.Row> words, int[] wordColumn, float[] idf, int vocabKept,
                             List<int[]> tagsOfItem, int tagsKept, Weighting weighting) {
        this.words = words;
        this.wordColumn = wordColumn;
        this.idf = idf;
        this.vocabKept = vocabKept;
        this.tagsOfItem = tagsOfItem;
        this.tagsKept = tagsKept;
        this.weighting = weighting;
    }

    /** Builds the content from mult.dat's rows and, when given, tag-item.dat's rows. */
    static CiteULikeContent of(List<CiteULikeFiles.Row> words, int vocabulary, List<CiteULikeFiles.Row> tags,
                               Options o) {
        int numItem = words.size();
        int[] df = new int[vocabulary];
        for (CiteULikeFiles.Row r : words) {
            for (int w : r.ids()) {
                df[w]++;
            }
        }
        int[] wordColumn = columnsByFrequency(df, o.vocabSize());
        int vocabKept = (int) Arrays.stream(wordColumn).filter(c -> c >= 0).count();
        float[] idf = new float[vocabulary];
        for (int w = 0; w < vocabulary; w++) {
            idf[w] = df[w] == 0 ? 0f : (float) Math.log((double) numItem / df[w]);
        }
        List<int[]> tagsOfItem = null;
        int tagsKept = 0;
        if (tags != null && o.tagSize() > 0) {
            int[] size = tags.stream().mapToInt(r -> r.ids().length).toArray();
            int[] tagColumn = columnsByFrequency(size, o.tagSize());
            List<List<Integer>> per = new ArrayList<>(numItem);
            for (int j = 0; j < numItem; j++) {
                per.add(new ArrayList<>());
            }
            for (int t = 0; t < tags.size(); t++) {
                if (tagColumn[t] < 0) {
                    continue;
                }
                for (int j : tags.get(t).ids()) {
                    per.get(j).add(tagColumn[t]);
                }
            }
            tagsOfItem = per.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toList();
            tagsKept = (int) Arrays.stream(tagColumn).filter(c -> c >= 0).count();
        }
        return new CiteULikeContent(words, wordColumn, idf, vocabKept, tagsOfItem, tagsKept, o.weighting());
    }

    /** The {@code keep} ids of largest {@code frequency} (ties to the lower id) get columns 0.., in id order. */
    static int[] columnsByFrequency(int[] frequency, int keep) {
        Integer[] order = IntStream.range(0, frequency.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> -frequency[i]).thenComparingInt(i -> i));
        boolean[] kept = new boolean[frequency.length];
        for (int k = 0; k < Math.min(keep, order.length); k++) {
            if (frequency[order[k]] > 0) {
                kept[order[k]] = true;
            }
        }
        int[] column = new int[frequency.length];
        int next = 0;
        for (int i = 0; i < frequency.length; i++) {
            column[i] = kept[i] ? next++ : -1;
        }
        return column;
    }

    @Override
    public List<String> modalityNames() {
        return tagsOfItem == null ? List.of("t") : List.of("t", "tags");
    }

    @Override
    public long dim(int modality) {
        return Math.max(1, modality == 0 ? vocabKept : tagsKept);
    }

    @Override
    public boolean has(String itemId) {
        return true; // an article without kept words or tags has a zero row, which the engine keeps at zero
    }

    @Override
    public void fill(int modality, String itemId, MemorySegment row) {
        int j = Integer.parseInt(itemId);
        row.fill((byte) 0);
        if (modality == 0) {
            CiteULikeFiles.Row r = words.get(j);
            for (int k = 0; k < r.ids().length; k++) {
                int c = wordColumn[r.ids()[k]];
                if (c >= 0) {
                    float v = r.values()[k];
                    row.setAtIndex(ValueLayout.JAVA_FLOAT, c, weighting == Weighting.COUNTS ? v
                            : (float) Math.log1p(v) * idf[r.ids()[k]]);
                }
            }
        } else {
            for (int c : tagsOfItem.get(j)) {
                row.setAtIndex(ValueLayout.JAVA_FLOAT, c, 1f);
            }
        }
    }
}
