package dev.clcrec.data.prepare;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.IdMapping;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.data.layout.LayoutWriter;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns raw interaction logs plus item content into a dataset in our layout. */
public final class Prepare {
    private static final System.Logger LOG = System.getLogger(Prepare.class.getName());

    private Prepare() {}

    /** What prepare did. */
    public record Report(Path output, int numUser, int numItem, int numWarmItem, long train, long val, long test,
                         long rawInteractions, long duplicates, long belowThreshold, long withoutContent,
                         int droppedUsers, double seconds) {}

    /** MovieLens in any of its three distributions, with genre/year/title content. */
    public static Report movieLens(Path inputDir, Path outputDir, PrepareOptions o) {
        long t0 = System.nanoTime();
        MovieLensFiles.Flavor f = MovieLensFiles.detect(inputDir);
        RawLog log = MovieLensFiles.readRatings(inputDir, f);
        MovieLensContent content = new MovieLensContent(MovieLensFiles.readMovies(inputDir, f), o.titleDim());
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("kind", "movielens-" + f.name().toLowerCase());
        source.put("input", inputDir.toAbsolutePath().toString());
        source.put("genres", content.genreNames());
        return run(log, content, outputDir, o, source, t0);
    }

    /**
     * The CiteULike layout (citeulike-a / citeulike-t: users.dat, mult.dat, vocabulary.dat and
     * optionally tag-item.dat; see CiteULikeFiles) with bag-of-words and tag content.
     */
    public static Report citeULike(Path inputDir, Path outputDir, PrepareOptions o, CiteULikeContent.Options c) {
        long t0 = System.nanoTime();
        int vocabulary = CiteULikeFiles.vocabularySize(inputDir);
        List<CiteULikeFiles.Row> words = CiteULikeFiles.readWords(inputDir, vocabulary);
        RawLog log = CiteULikeFiles.readUsers(inputDir, words.size());
        CiteULikeContent content = CiteULikeContent.of(words, vocabulary,
                CiteULikeFiles.readTags(inputDir, words.size()), c);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("kind", "citeulike");
        source.put("input", inputDir.toAbsolutePath().toString());
        source.put("content", c);
        return run(log, content, outputDir, o, source, t0);
    }

    /** A generic {@code user,item[,rating,timestamp]} log with item-feature matrices. */
    public static Report generic(Path interactions, List<GenericFiles.FeatureSource> features, Path outputDir,
                                 PrepareOptions o) {
        long t0 = System.nanoTime();
        RawLog log = GenericFiles.readInteractions(interactions);
        try (Arena arena = Arena.ofConfined()) {
            ItemContent content = GenericFiles.loadContent(features, arena);
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("kind", "generic");
            source.put("input", interactions.toAbsolutePath().toString());
            return run(log, content, outputDir, o, source, t0);
        }
    }

    static Report run(RawLog log, ItemContent content, Path outputDir, PrepareOptions o,
                      Map<String, Object> source, long t0) {
        List<String> rawItems = log.itemNames();
        Filtering.Result fr = Filtering.apply(log, o.ratingThreshold(), o.minUserInteractions(),
                o.minItemInteractions(), raw -> content.has(rawItems.get(raw)));
        Splitter.Result s = switch (o.split()) {
            case RANDOM -> Splitter.split(fr.users(), fr.items(), fr.userNames().length, fr.itemNames().length,
                    o.coldFraction(), o.valFraction(), o.testFraction(), o.seed());
            case TIME, TIME_REPLAY -> TimeSplitter.split(fr.users(), fr.items(), fr.times(), fr.userNames().length,
                    fr.itemNames().length, o.valFraction(), o.testFraction(), o.split() == SplitMode.TIME_REPLAY);
        };
        List<String> userIds = new ArrayList<>(s.numUser());
        for (int u : s.userOf()) {
            userIds.add(fr.userNames()[u]);
        }
        List<String> itemIds = new ArrayList<>(s.numItem());
        for (int i : s.itemOf()) {
            itemIds.add(fr.itemNames()[i]);
        }
        Arena arena = Arena.ofShared();
        List<FeatureMatrix> mats = new ArrayList<>();
        for (int m = 0; m < content.modalityNames().size(); m++) {
            long dim = content.dim(m);
            MemorySegment seg = arena.allocate(s.numItem() * dim * Float.BYTES, 64);
            for (int i = 0; i < s.numItem(); i++) {
                content.fill(m, itemIds.get(i), seg.asSlice(i * dim * Float.BYTES, dim * Float.BYTES));
            }
            mats.add(new FeatureMatrix(content.modalityNames().get(m), seg, s.numItem(), dim));
        }
        Map<Split, Map<Setting, dev.clcrec.data.Interactions>> heldOut = new EnumMap<>(Split.class);
        heldOut.put(Split.VAL, Dataset.bySetting(s.val(), s.numWarmItem(), s.numItem()));
        heldOut.put(Split.TEST, Dataset.bySetting(s.test(), s.numWarmItem(), s.numItem()));
        Map<String, Object> src = new LinkedHashMap<>(source);
        src.put("options", o);
        try (Dataset d = Dataset.create("prepare " + outputDir, o.name(), s.numUser(), s.numItem(), s.numWarmItem(),
                s.train(), heldOut, new ContentFeatures(List.copyOf(mats), null),
                new IdMapping(userIds, itemIds), arena, false)) {
            LayoutWriter.write(d, outputDir, src);
            if (o.split() == SplitMode.TIME_REPLAY) {
                boolean[] inDataset = new boolean[fr.itemNames().length];
                for (int i : s.itemOf()) {
                    inDataset[i] = true;
                }
                long after = AfterCutLog.write(outputDir, fr, TimeSplitter.cuts(fr.times(), o.valFraction(),
                        o.testFraction(), "--split time-replay"), inDataset, content);
                LOG.log(System.Logger.Level.INFO, "wrote {0} interaction(s) after the training cut to {1}", after,
                        outputDir.resolve(AfterCutLog.DIR));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            Report r = new Report(outputDir, d.numUser(), d.numItem(), d.numWarmItem(), d.train().size(),
                    s.val().size(), s.test().size(), log.size(), fr.duplicates(), fr.belowThreshold(),
                    fr.withoutContent(), s.droppedUsers(), secs);
            LOG.log(System.Logger.Level.INFO, "prepared {0}", r);
            return r;
        }
    }
}
