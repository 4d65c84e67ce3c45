package dev.clcrec.data.layout;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.FeatureChecks;
import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.data.FeatureLoading;
import dev.clcrec.data.IdMapping;
import dev.clcrec.data.Interactions;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.WordPairs;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Reads our layout (manifest.json + .npy/.tsv files), mapping feature matrices without copying. */
public final class LayoutReader {
    private LayoutReader() {}

    public static Dataset read(Path dir) {
        Path manifestFile = dir.resolve(Manifest.FILE);
        Manifest m = ManifestFiles.read(manifestFile);
        String src = manifestFile.toString();
        int nu = m.numUser();
        int ni = m.numItem();
        if (nu <= 0 || ni <= 0) {
            throw new DatasetFormatException(src + ": num_user and num_item must be positive, got "
                    + nu + " and " + ni);
        }
        Interactions train = InteractionFiles.read(dir.resolve(m.interactions().train()), nu, ni);
        Interactions val = InteractionFiles.read(dir.resolve(m.interactions().val()), nu, ni);
        Interactions test = InteractionFiles.read(dir.resolve(m.interactions().test()), nu, ni);
        if (m.counts() != null) {
            checkCount(src, "train", m.counts().train(), train);
            checkCount(src, "val", m.counts().val(), val);
            checkCount(src, "test", m.counts().test(), test);
        }
        Map<Split, Map<Setting, Interactions>> heldOut = new EnumMap<>(Split.class);
        heldOut.put(Split.VAL, Dataset.bySetting(val, m.numWarmItem(), ni));
        heldOut.put(Split.TEST, Dataset.bySetting(test, m.numWarmItem(), ni));
        IdMapping ids = null;
        if (m.userIds() != null && m.itemIds() != null) {
            ids = new IdMapping(IdFiles.read(dir.resolve(m.userIds()), nu), IdFiles.read(dir.resolve(m.itemIds()), ni));
        }
        Arena arena = Arena.ofShared();
        try {
            List<FeatureMatrix> mats = new ArrayList<>();
            for (Manifest.Modality mod : m.modalities() == null ? List.<Manifest.Modality>of() : m.modalities()) {
                if (mod.name() == null || mod.file() == null) {
                    throw new DatasetFormatException(src + ": a modality lacks 'name' or 'file'");
                }
                FeatureMatrix f = FeatureLoading.matrix(dir.resolve(mod.file()), mod.name(), arena);
                if (f.cols() != mod.dim()) {
                    throw new DatasetFormatException(dir.resolve(mod.file()) + ": " + f.cols()
                            + " columns, but manifest.json gives dim " + mod.dim() + " for modality '" + mod.name() + "'");
                }
                FeatureChecks.checkShape(dir.resolve(mod.file()).toString(), f, ni);
                mats.add(f);
            }
            WordPairs words = m.words() == null ? null
                    : FeatureLoading.wordPairs(dir.resolve(m.words().file()), arena, m.words().numWords());
            return Dataset.create(src, m.name(), nu, ni, m.numWarmItem(), train, heldOut,
                    new ContentFeatures(List.copyOf(mats), words), ids, arena, false);
        } catch (RuntimeException e) {
            if (arena.scope().isAlive()) {
                arena.close();
            }
            throw e;
        }
    }

    private static void checkCount(String src, String what, long expected, Interactions x) {
        if (expected != x.size()) {
            throw new DatasetFormatException(src + ": counts." + what + " is " + expected + " but the file holds "
                    + x.size() + " distinct interactions");
        }
    }
}
