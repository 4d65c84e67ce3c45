package dev.clcrec.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.data.FeatureLoading;
import dev.clcrec.data.Interactions;
import dev.clcrec.data.layout.IdFiles;
import dev.clcrec.data.npy.NpyArray;
import dev.clcrec.data.npy.NpyDtype;
import dev.clcrec.data.npy.NpyFile;
import dev.clcrec.engine.ClcrecException;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.engine.WordPairs;
import dev.clcrec.eval.ProfileEvidence;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Opens a model bundle written by {@link BundleWriter}: checks the manifest's format and version, the
 * size and SHA-256 of every listed file, the shapes of every array against the manifest, and the
 * checkpoint's own config against the manifest, then loads the model. Any disagreement is a
 * {@link BundleFormatException} naming the file.
 */
public final class BundleReader {
    private BundleReader() {}

    /** Reads and checks the manifest and every file's checksum, without loading anything. */
    public static BundleManifest verify(Path dir) {
        Path manifestFile = dir.resolve(BundleWriter.MANIFEST);
        if (!Files.isDirectory(dir)) {
            throw new BundleFormatException(dir, "not a bundle folder (missing or not a directory)");
        }
        if (!Files.isRegularFile(manifestFile)) {
            throw new BundleFormatException(manifestFile, "missing file (is this a clcrec model bundle?)");
        }
        BundleManifest m;
        try {
            m = BundleWriter.json().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(manifestFile.toFile(), BundleManifest.class);
        } catch (IOException e) {
            throw new BundleFormatException(manifestFile, "not a readable manifest: " + e.getMessage(), e);
        }
        if (!BundleManifest.FORMAT.equals(m.format())) {
            throw new BundleFormatException(manifestFile, "format '" + m.format() + "', expected '"
                    + BundleManifest.FORMAT + "'");
        }
        if (m.formatVersion() < BundleManifest.OLDEST_READABLE_VERSION || m.formatVersion() > BundleManifest.VERSION) {
            throw new BundleFormatException(manifestFile, "format version " + m.formatVersion()
                    + ", this build reads versions " + BundleManifest.OLDEST_READABLE_VERSION + " to "
                    + BundleManifest.VERSION);
        }
        BundleManifest.ContentFusion fusion = m.contentFusion();
        if (fusion != null && (!(fusion.weight() > 0) || !Double.isFinite(fusion.weight())
                || !BundleManifest.ContentFusion.PROFILE.equals(fusion.evidence()) || m.modalities() == null
                || m.modalities().isEmpty())) {
            throw new BundleFormatException(manifestFile, "content_fusion: weight " + fusion.weight() + " and evidence '"
                    + fusion.evidence() + "' are not a fusion this build serves (a finite weight above 0 over '"
                    + BundleManifest.ContentFusion.PROFILE + "', which needs content modalities)");
        }
        if (m.files() == null || m.modalities() == null || m.numUser() < 1 || m.numItem() < 1 || m.dimE() < 1
                || m.numWarmItem() < 0 || m.numWarmItem() > m.numItem()) {
            throw new BundleFormatException(manifestFile, "incomplete manifest (sizes, modalities or files missing)");
        }
        if (m.numUser() > Integer.MAX_VALUE || m.numItem() > Integer.MAX_VALUE) {
            throw new BundleFormatException(manifestFile, "num_user " + m.numUser() + " / num_item " + m.numItem()
                    + ": more than " + Integer.MAX_VALUE + " are not supported");
        }
        Set<String> modalityNames = new HashSet<>();
        for (BundleManifest.Modality mod : m.modalities()) {
            if (mod == null || mod.name() == null || mod.name().isEmpty() || mod.file() == null || mod.width() < 1
                    || !modalityNames.add(mod.name())) {
                throw new BundleFormatException(manifestFile, "bad modality entry " + mod
                        + " (each needs a distinct name, a file and a width >= 1)");
            }
        }
        Set<String> listed = new HashSet<>();
        for (BundleManifest.FileEntry f : m.files()) {
            if (f.name() == null || f.name().contains("/") || f.name().contains("\\") || f.name().startsWith(".")) {
                throw new BundleFormatException(manifestFile, "bad file name '" + f.name() + "'");
            }
            listed.add(f.name());
            Path p = dir.resolve(f.name());
            if (!Files.isRegularFile(p)) {
                throw new BundleFormatException(p, "missing file listed in the manifest");
            }
            try {
                long size = Files.size(p);
                if (size != f.bytes()) {
                    throw new BundleFormatException(p, size + " bytes, the manifest says " + f.bytes()
                            + (size < f.bytes() ? " (truncated)" : ""));
                }
            } catch (IOException e) {
                throw new BundleFormatException(p, "cannot read: " + e.getMessage(), e);
            }
            String sum = Checksums.sha256(p);
            if (!sum.equalsIgnoreCase(f.sha256())) {
                throw new BundleFormatException(p, "checksum mismatch (corrupt): sha256 " + sum + ", the manifest says "
                        + f.sha256());
            }
        }
        List<String> required = new ArrayList<>(List.of(BundleWriter.CHECKPOINT, BundleWriter.USER_IDS,
                BundleWriter.ITEM_IDS, BundleWriter.TRAIN_OFFSETS, BundleWriter.TRAIN_ITEMS));
        m.modalities().forEach(x -> required.add(x.file()));
        if (m.wordText() != null) {
            required.add(m.wordText().file());
        }
        for (String r : required) {
            if (!listed.contains(r)) {
                throw new BundleFormatException(manifestFile, "does not list the required file " + r);
            }
        }
        return m;
    }

    /** Verifies the bundle and loads its model on {@code device}. */
    public static OpenedBundle open(Path dir, Device device, int numThreads) {
        BundleManifest m = verify(dir);
        int numUser = Math.toIntExact(m.numUser());
        int numItem = Math.toIntExact(m.numItem());
        List<String> userIds = ids(dir.resolve(BundleWriter.USER_IDS), numUser);
        List<String> itemIds = ids(dir.resolve(BundleWriter.ITEM_IDS), numItem);
        Interactions train = train(dir, numUser, numItem, m.numWarmItem());
        Path ckpt = dir.resolve(BundleWriter.CHECKPOINT);
        ClcrecModel model;
        ProfileEvidence evidence = null;
        try (Arena arena = Arena.ofConfined()) { // the engine copies the content it keeps
            ContentFeatures content = content(dir, m, arena);
            if (m.contentFusion() != null) {
                evidence = ProfileEvidence.of(content);
            }
            try {
                model = ClcrecModel.load(ckpt, content, device, 0, numThreads);
            } catch (ClcrecException e) {
                throw new BundleFormatException(ckpt, "cannot load the checkpoint: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new BundleFormatException(ckpt, "does not match the bundle's content: " + e.getMessage(), e);
            }
        }
        try {
            ModelConfig c = model.config();
            if (c.numUser() != m.numUser() || c.numItem() != m.numItem() || c.numWarmItem() != m.numWarmItem()
                    || c.dimE() != m.dimE()) {
                throw new BundleFormatException(ckpt, "checkpoint is for " + c.numUser() + " users, " + c.numItem()
                        + " items (" + c.numWarmItem() + " warm), dim " + c.dimE() + "; the manifest says "
                        + m.numUser() + ", " + m.numItem() + " (" + m.numWarmItem() + "), dim " + m.dimE()
                        + " (mismatched bundle)");
            }
            return new OpenedBundle(dir, m, model, userIds, itemIds, train, List.copyOf(m.modalities()),
                    m.wordText() != null, evidence);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The content a verified bundle's model was trained with (every item, in dense-id order), read into
     * {@code arena}: what a retrain needs to train over the bundle's items again.
     */
    public static ContentFeatures content(Path dir, Arena arena) {
        return content(dir, verify(dir), arena);
    }

    private static List<String> ids(Path file, int expected) {
        try {
            List<String> ids = IdFiles.read(file, expected);
            if (new HashSet<>(ids).size() != ids.size()) {
                throw new BundleFormatException(file, "duplicate ids");
            }
            return ids;
        } catch (DatasetFormatException e) {
            throw new BundleFormatException(file, e.getMessage(), e);
        }
    }

    private static Interactions train(Path dir, int numUser, int numItem, long numWarm) {
        Path offFile = dir.resolve(BundleWriter.TRAIN_OFFSETS);
        Path itemFile = dir.resolve(BundleWriter.TRAIN_ITEMS);
        long[] offsets;
        int[] items;
        Path reading = offFile; // the file a format error is about
        try (Arena arena = Arena.ofConfined()) {
            NpyArray off = NpyFile.map(offFile, arena).requireInteger().requireShape(numUser + 1L);
            offsets = off.toLongArray();
            reading = itemFile;
            NpyArray it = NpyFile.map(itemFile, arena);
            if (it.header().dtype() != NpyDtype.INT32 || it.header().ndim() != 1) {
                throw new BundleFormatException(itemFile, "expected a 1-d int32 array, got "
                        + it.header().dtype().descr() + " " + it.header().shapeString());
            }
            items = it.data().toArray(ValueLayout.JAVA_INT);
        } catch (DatasetFormatException e) {
            throw new BundleFormatException(reading, e.getMessage(), e);
        }
        for (int i = 0; i < items.length; i++) {
            if (items[i] < 0 || items[i] >= numItem) {
                throw new BundleFormatException(itemFile, "item " + items[i] + " at position " + i + " outside 0.."
                        + (numItem - 1));
            }
        }
        try {
            return new Interactions(numUser, offsets, items);
        } catch (IllegalArgumentException e) {
            throw new BundleFormatException(offFile, "training lists are inconsistent: " + e.getMessage(), e);
        }
    }

    private static ContentFeatures content(Path dir, BundleManifest m, Arena arena) {
        List<FeatureMatrix> mats = new ArrayList<>();
        for (BundleManifest.Modality mod : m.modalities()) {
            Path f = dir.resolve(mod.file());
            FeatureMatrix fm;
            try {
                fm = FeatureLoading.matrix(f, mod.name(), arena);
            } catch (DatasetFormatException e) {
                throw new BundleFormatException(f, e.getMessage(), e);
            }
            if (fm.rows() != m.numItem() || fm.cols() != mod.width()) {
                throw new BundleFormatException(f, "shape (" + fm.rows() + ", " + fm.cols() + "), the manifest says ("
                        + m.numItem() + ", " + mod.width() + ")");
            }
            mats.add(fm);
        }
        WordPairs words = null;
        if (m.wordText() != null) {
            Path f = dir.resolve(m.wordText().file());
            try {
                words = FeatureLoading.wordPairs(f, arena, m.wordText().numWords());
            } catch (DatasetFormatException | IllegalArgumentException e) {
                throw new BundleFormatException(f, e.getMessage(), e);
            }
        }
        try {
            return new ContentFeatures(mats, words);
        } catch (IllegalArgumentException e) {
            throw new BundleFormatException(dir.resolve(BundleWriter.MANIFEST), e.getMessage(), e);
        }
    }
}
