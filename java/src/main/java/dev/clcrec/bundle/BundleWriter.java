package dev.clcrec.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clcrec.data.Interactions;
import dev.clcrec.data.layout.IdFiles;
import dev.clcrec.data.npy.NpyWriter;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.WordPairs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a model bundle: everything needed to serve a trained model with no dataset present.
 *
 * <p>The bundle is built in a temporary sibling folder and moved into place only once every file is
 * written, synced and listed with its checksum in the manifest, so a reader never sees half a bundle.
 * The checkpoint is written by {@link ClcrecModel#save} and treated as an opaque file here.
 */
public final class BundleWriter {
    static final String MANIFEST = "manifest.json";
    static final String CHECKPOINT = "model.ckpt";
    static final String CONFIG = "config.json";
    static final String USER_IDS = "user_ids.tsv";
    static final String ITEM_IDS = "item_ids.tsv";
    static final String TRAIN_OFFSETS = "train_offsets.npy";
    static final String TRAIN_ITEMS = "train_items.npy";
    static final String WORDS = "word_pairs.npy";

    static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }

    private BundleWriter() {}

    /**
     * Writes {@code bundleDir} (replacing an existing bundle there).
     *
     * @param content the content the model was trained with (all catalog items, in dense-id order)
     * @param userIds external user ids by dense id
     * @param itemIds external item ids by dense id
     * @param train   each user's training items, excluded from recommendations
     */
    public static BundleManifest write(Path bundleDir, ClcrecModel model, ContentFeatures content, String dataset,
                                       List<String> userIds, List<String> itemIds, Interactions train) {
        return write(bundleDir, model, content, dataset, userIds, itemIds, train, 0);
    }

    /**
     * As above, with the weight of content evidence the served model fuses into its cold items' scores
     * (0: none; see {@link BundleManifest.ContentFusion}).
     */
    public static BundleManifest write(Path bundleDir, ClcrecModel model, ContentFeatures content, String dataset,
                                       List<String> userIds, List<String> itemIds, Interactions train,
                                       double fusionWeight) {
        if (!(fusionWeight >= 0) || !Double.isFinite(fusionWeight)) {
            throw new IllegalArgumentException("fusion weight must be a finite number >= 0, got " + fusionWeight);
        }
        if (fusionWeight > 0 && content.modalities().isEmpty()) {
            throw new IllegalArgumentException("content fusion needs content columns; word-level text alone has none");
        }
        var cfg = model.config();
        if (userIds.size() != cfg.numUser() || itemIds.size() != cfg.numItem() || train.numRows() != cfg.numUser()) {
            throw new IllegalArgumentException("bundle parts disagree with the model: " + userIds.size() + " user ids, "
                    + itemIds.size() + " item ids, " + train.numRows() + " training rows for a model of "
                    + cfg.numUser() + " users and " + cfg.numItem() + " items");
        }
        Path parent = bundleDir.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + bundleDir.getFileName() + ".tmp-");
            try {
                BundleManifest manifest = writeParts(tmp, model, content, dataset, userIds, itemIds, train,
                        fusionWeight);
                replace(tmp, bundleDir.toAbsolutePath());
                return manifest;
            } catch (RuntimeException | IOException e) {
                deleteTree(tmp);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write bundle " + bundleDir, e);
        }
    }

    private static BundleManifest writeParts(Path dir, ClcrecModel model, ContentFeatures content, String dataset,
                                             List<String> userIds, List<String> itemIds, Interactions train,
                                             double fusionWeight) throws IOException {
        var cfg = model.config();
        model.save(dir.resolve(CHECKPOINT));
        json().writeValue(dir.resolve(CONFIG).toFile(), cfg);
        IdFiles.write(dir.resolve(USER_IDS), userIds);
        IdFiles.write(dir.resolve(ITEM_IDS), itemIds);
        NpyWriter.writeLongs(dir.resolve(TRAIN_OFFSETS), train.offsets(), train.offsets().length);
        NpyWriter.writeInts(dir.resolve(TRAIN_ITEMS), train.columns(), train.columns().length);
        List<BundleManifest.Modality> modalities = new ArrayList<>();
        for (FeatureMatrix m : content.modalities()) {
            if (m.rows() != cfg.numItem()) {
                throw new IllegalArgumentException("modality '" + m.name() + "' has " + m.rows() + " rows, the model "
                        + cfg.numItem() + " items");
            }
            String file = "content_" + m.name() + ".npy";
            NpyWriter.writeFloats(dir.resolve(file), m.data(), m.rows(), m.cols());
            modalities.add(new BundleManifest.Modality(m.name(), m.cols(), file));
        }
        BundleManifest.WordText words = null;
        WordPairs w = content.words();
        if (w != null) {
            long[] pairs = w.pairs().asSlice(0, 2 * w.count() * Long.BYTES).toArray(ValueLayout.JAVA_LONG);
            NpyWriter.writeLongs(dir.resolve(WORDS), pairs, 2, w.count());
            words = new BundleManifest.WordText(WORDS, w.numWords());
        }
        List<BundleManifest.FileEntry> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                sync(p);
                files.add(new BundleManifest.FileEntry(p.getFileName().toString(), Files.size(p), Checksums.sha256(p)));
            }
        }
        String version = files.stream().filter(f -> f.name().equals(CHECKPOINT)).findFirst().orElseThrow()
                .sha256().substring(0, 16);
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT, BundleManifest.VERSION, version,
                Instant.now().toString(), dataset, cfg.numUser(), cfg.numItem(), cfg.numWarmItem(), cfg.dimE(),
                List.copyOf(modalities), words, BundleManifest.NORMALISATION, List.copyOf(files),
                fusionWeight > 0 ? new BundleManifest.ContentFusion(fusionWeight, BundleManifest.ContentFusion.PROFILE)
                        : null);
        json().writeValue(dir.resolve(MANIFEST).toFile(), manifest);
        sync(dir.resolve(MANIFEST));
        sync(dir);
        return manifest;
    }

    // A folder cannot be renamed over a non-empty one, so an old bundle is first moved aside; readers
    // that race with this see either the old bundle, the new one or (briefly) none, never a mixture.
    private static void replace(Path tmp, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        sync(target.getParent());
        if (old != null) {
            deleteTree(old);
        }
    }

    private static void sync(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!Files.isDirectory(p)) { // some file systems cannot sync a folder; the files are synced
                throw e;
            }
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

}
