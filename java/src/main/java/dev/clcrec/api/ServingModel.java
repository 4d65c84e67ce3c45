package dev.clcrec.api;

import dev.clcrec.data.Interactions;
import dev.clcrec.engine.ClcrecException;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.WordPairs;
import dev.clcrec.eval.ProfileEvidence;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One loaded model with everything serving needs from it, read once: user embeddings, the ranking
 * representation of its own items, external ids and each user's training items. Immutable except
 * for the native model it owns, which is used only to encode new items.
 */
final class ServingModel {
    final ClcrecModel model;
    final String version;
    final int dimE;
    final int numUser;
    final int numItem;
    final int numWarmItem;
    final float[] users;          // numUser x dimE
    final float[] items;          // numItem x dimE (warm: id embedding, cold: encoder output)
    final List<String> userIds;
    final List<String> itemIds;
    final Map<String, Integer> userIndex;
    final Interactions train;
    final List<String> modalityNames;
    final long[] modalityWidths;
    final boolean wordText;
    final ContentEvidence evidence; // null when the model ranks cold items alone

    ServingModel(ClcrecModel model, String version, List<String> userIds, List<String> itemIds, Interactions train,
                 List<String> modalityNames, long[] modalityWidths, boolean wordText) {
        this(model, version, userIds, itemIds, train, modalityNames, modalityWidths, wordText, 0, null);
    }

    /**
     * @param fusionWeight   the weight of content evidence on cold items (0: none)
     * @param evidence     the content space of the model's items when {@code fusionWeight > 0}
     */
    ServingModel(ClcrecModel model, String version, List<String> userIds, List<String> itemIds, Interactions train,
                 List<String> modalityNames, long[] modalityWidths, boolean wordText, double fusionWeight,
                 ProfileEvidence evidence) {
        this.model = model;
        this.version = version;
        this.dimE = model.config().dimE();
        this.numUser = Math.toIntExact(model.config().numUser());
        this.numItem = Math.toIntExact(model.config().numItem());
        this.numWarmItem = Math.toIntExact(model.config().numWarmItem());
        this.users = model.userEmbeddings();
        this.items = model.itemRepresentation();
        this.userIds = List.copyOf(userIds);
        this.itemIds = List.copyOf(itemIds);
        Map<String, Integer> idx = new HashMap<>(userIds.size() * 2);
        for (int u = 0; u < userIds.size(); u++) {
            idx.put(userIds.get(u), u);
        }
        this.userIndex = idx;
        this.train = train;
        this.modalityNames = List.copyOf(modalityNames);
        this.modalityWidths = modalityWidths.clone();
        this.wordText = wordText;
        this.evidence = ContentEvidence.of(fusionWeight, evidence, items, dimE, numItem, numWarmItem, numUser);
    }

    /** The weight of content evidence on cold items this model serves with (0: none). */
    double fusionWeight() {
        return evidence == null ? 0 : evidence.weight();
    }

    int user(String id) {
        Integer u = id == null ? null : userIndex.get(id);
        if (u == null) {
            throw new CatalogException(CatalogException.Kind.UNKNOWN_USER, "user", "unknown user id '" + id + "'");
        }
        return u;
    }

    /** Checks new items' content against this model's modalities and widths; returns nothing on success. */
    void checkContent(NewItem item, int index) {
        String where = "items[" + index + "].";
        for (String name : item.features().keySet()) {
            if (!modalityNames.contains(name)) {
                throw new CatalogException(CatalogException.Kind.BAD_FEATURES, "features." + name, where + "features."
                        + name + ": the model has no modality '" + name + "'; it takes " + modalityNames);
            }
        }
        for (int m = 0; m < modalityNames.size(); m++) {
            String name = modalityNames.get(m);
            float[] v = item.features().get(name);
            String field = "features." + name;
            if (v == null) {
                throw new CatalogException(CatalogException.Kind.BAD_FEATURES, field, where + field
                        + ": missing (the model takes " + modalityNames + ")");
            }
            if (v.length != modalityWidths[m]) {
                throw new CatalogException(CatalogException.Kind.BAD_FEATURES, field, where + field + ": width "
                        + v.length + ", the model takes " + modalityWidths[m]);
            }
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new CatalogException(CatalogException.Kind.BAD_FEATURES, field, where + field + "[" + i
                            + "] is " + v[i] + "; features must be finite");
                }
            }
        }
        int[] words = item.words();
        if (wordText && words == null) {
            throw new CatalogException(CatalogException.Kind.BAD_FEATURES, "words", where
                    + "words: missing; this model uses word-level text");
        }
        if (!wordText && words != null) {
            throw new CatalogException(CatalogException.Kind.BAD_FEATURES, "words", where
                    + "words: this model has no word-level text");
        }
    }

    /**
     * Encoder output for the items (already checked), rows x dimE, each item encoded on its own: an
     * item's representation must not depend on which other items came in the same call (a batch of
     * one and a batch of many take different BLAS paths and may round differently), or a restart
     * that replays the items in other batches would serve other scores.
     */
    float[] encodeEach(List<NewItem> items) {
        float[] out = new float[items.size() * dimE];
        for (int i = 0; i < items.size(); i++) {
            System.arraycopy(encode(List.of(items.get(i))), 0, out, i * dimE, dimE);
        }
        return out;
    }

    /** Encoder output for the items (already checked), rows x dimE, in one batch. */
    float[] encode(List<NewItem> batch) {
        int rows = batch.size();
        try (Arena arena = Arena.ofConfined()) {
            List<FeatureMatrix> mats = new ArrayList<>();
            for (int m = 0; m < modalityNames.size(); m++) {
                int w = (int) modalityWidths[m];
                MemorySegment seg = arena.allocate(ValueLayout.JAVA_FLOAT, (long) rows * w);
                for (int r = 0; r < rows; r++) {
                    MemorySegment.copy(batch.get(r).features().get(modalityNames.get(m)), 0, seg,
                            ValueLayout.JAVA_FLOAT, (long) r * w * Float.BYTES, w);
                }
                mats.add(new FeatureMatrix(modalityNames.get(m), seg, rows, w));
            }
            WordPairs words = null;
            if (wordText) {
                List<long[]> pairs = new ArrayList<>();
                for (int r = 0; r < rows; r++) {
                    for (int w : batch.get(r).words()) {
                        pairs.add(new long[] {r, w});
                    }
                }
                MemorySegment seg = arena.allocate(ValueLayout.JAVA_LONG, Math.max(1, 2L * pairs.size()));
                for (int p = 0; p < pairs.size(); p++) {
                    seg.setAtIndex(ValueLayout.JAVA_LONG, p, pairs.get(p)[0]);
                    seg.setAtIndex(ValueLayout.JAVA_LONG, pairs.size() + p, pairs.get(p)[1]);
                }
                words = new WordPairs(seg, pairs.size(), wordTableSize());
            }
            try {
                return model.encode(rows, new ContentFeatures(mats, words));
            } catch (IllegalArgumentException e) {
                throw new CatalogException(CatalogException.Kind.BAD_FEATURES, wordText ? "words" : "features",
                        e.getMessage());
            } catch (ClcrecException e) {
                if (e.status() != ClcrecException.INVALID_ARGUMENT) {
                    throw e;
                }
                throw new CatalogException(CatalogException.Kind.BAD_FEATURES, wordText ? "words" : "features",
                        e.getMessage());
            }
        }
    }

    private long wordTableSize() {
        return model.parameterShape("word_embedding")[0];
    }
}
