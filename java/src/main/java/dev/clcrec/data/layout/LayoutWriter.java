package dev.clcrec.data.layout;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.IdMapping;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.data.npy.NpyWriter;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.WordPairs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes a {@link Dataset} in our layout. Feature matrices are streamed from native memory. */
public final class LayoutWriter {
    private LayoutWriter() {}

    public static void write(Dataset d, Path dir, Map<String, Object> source) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        InteractionFiles.writeNpy(dir.resolve("train.npy"), d.train());
        InteractionFiles.writeNpy(dir.resolve("val.npy"), d.heldOut(Split.VAL, Setting.ALL));
        InteractionFiles.writeNpy(dir.resolve("test.npy"), d.heldOut(Split.TEST, Setting.ALL));
        List<Manifest.Modality> mods = new ArrayList<>();
        for (FeatureMatrix f : d.content().modalities()) {
            String file = "feat_" + f.name() + ".npy";
            NpyWriter.writeFloats(dir.resolve(file), f.data(), f.rows(), f.cols());
            mods.add(new Manifest.Modality(f.name(), file, f.cols()));
        }
        Manifest.Words words = null;
        WordPairs w = d.content().words();
        if (w != null) {
            long[] pairs = new long[Math.toIntExact(2 * w.count())];
            for (int k = 0; k < pairs.length; k++) {
                pairs[k] = w.pairs().getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, k);
            }
            NpyWriter.writeLongs(dir.resolve("words.npy"), pairs, 2, w.count());
            words = new Manifest.Words("words.npy", w.numWords());
        }
        String userIds = null;
        String itemIds = null;
        if (d.ids().isPresent()) {
            IdMapping ids = d.ids().get();
            userIds = "user_ids.tsv";
            itemIds = "item_ids.tsv";
            IdFiles.write(dir.resolve(userIds), ids.userIds());
            IdFiles.write(dir.resolve(itemIds), ids.itemIds());
        }
        Manifest m = new Manifest(Manifest.FORMAT, Manifest.VERSION, d.name(), d.numUser(), d.numItem(),
                d.numWarmItem(), new Manifest.Files("train.npy", "val.npy", "test.npy"),
                new Manifest.Counts(d.train().size(), d.heldOut(Split.VAL, Setting.ALL).size(),
                        d.heldOut(Split.TEST, Setting.ALL).size()),
                mods, words, userIds, itemIds, source);
        ManifestFiles.write(dir.resolve(Manifest.FILE), m);
    }
}
