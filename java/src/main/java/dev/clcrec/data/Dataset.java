package dev.clcrec.data;

import dev.clcrec.engine.ContentFeatures;

import java.lang.foreign.Arena;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, validated dataset: dense ids, items numbered warm first ({@code 0..numWarmItem-1})
 * then cold, per-user training items, held-out items per split and setting, and content features in
 * native memory. Owns the {@link Arena} holding (or mapping) the features; {@link #close()} frees it.
 */
public final class Dataset implements AutoCloseable {
    private final String name;
    private final int numUser;
    private final int numItem;
    private final int numWarmItem;
    private final Interactions train;
    private final Map<Split, Map<Setting, Interactions>> heldOut;
    private final ContentFeatures content;
    private final IdMapping ids;
    private final Arena arena;

    private Dataset(String name, int numUser, int numItem, int numWarmItem, Interactions train,
                    Map<Split, Map<Setting, Interactions>> heldOut, ContentFeatures content, IdMapping ids,
                    Arena arena) {
        this.name = name;
        this.numUser = numUser;
        this.numItem = numItem;
        this.numWarmItem = numWarmItem;
        this.train = train;
        this.heldOut = heldOut;
        this.content = content;
        this.ids = ids;
        this.arena = arena;
    }

    /**
     * Validates the parts and builds a dataset. On failure the arena is closed before the
     * {@link DatasetFormatException} propagates.
     *
     * @param source                    file or directory named in error messages
     * @param arena                     owner of the feature memory, closed with the dataset (nullable)
     * @param ids                       external ids (nullable)
     * @param allowUsersWithoutTraining warn instead of failing on users with no training items
     */
    public static Dataset create(String source, String name, int numUser, int numItem, int numWarmItem,
                                 Interactions train, Map<Split, Map<Setting, Interactions>> heldOut,
                                 ContentFeatures content, IdMapping ids, Arena arena,
                                 boolean allowUsersWithoutTraining) {
        try {
            DatasetChecks.validate(source, numUser, numItem, numWarmItem, train, heldOut, content, ids,
                    allowUsersWithoutTraining);
        } catch (RuntimeException e) {
            if (arena != null) {
                arena.close();
            }
            throw e;
        }
        Map<Split, Map<Setting, Interactions>> copy = new EnumMap<>(Split.class);
        for (Map.Entry<Split, Map<Setting, Interactions>> e : heldOut.entrySet()) {
            copy.put(e.getKey(), Map.copyOf(new EnumMap<>(e.getValue())));
        }
        return new Dataset(name, numUser, numItem, numWarmItem, train, Map.copyOf(copy), content, ids, arena);
    }

    /** Held-out sets per setting derived from the all-items set by the warm/cold boundary. */
    public static Map<Setting, Interactions> bySetting(Interactions all, int numWarmItem, int numItem) {
        Map<Setting, Interactions> m = new EnumMap<>(Setting.class);
        m.put(Setting.ALL, all);
        m.put(Setting.WARM, all.filterColumns(0, numWarmItem));
        m.put(Setting.COLD, all.filterColumns(numWarmItem, numItem));
        return m;
    }

    public String name() {
        return name;
    }

    public int numUser() {
        return numUser;
    }

    public int numItem() {
        return numItem;
    }

    public int numWarmItem() {
        return numWarmItem;
    }

    public int numColdItem() {
        return numItem - numWarmItem;
    }

    public boolean isCold(int item) {
        return item >= numWarmItem;
    }

    /** Per-user training items (warm items only). */
    public Interactions train() {
        return train;
    }

    /** Per-user held-out items; rows may be empty. */
    public Interactions heldOut(Split split, Setting setting) {
        return heldOut.get(split).get(setting);
    }

    /** Content features, modalities in v, a, t order (reference) or manifest order (ours). */
    public ContentFeatures content() {
        return content;
    }

    public Optional<IdMapping> ids() {
        return Optional.ofNullable(ids);
    }

    /** Frees the native memory of the features; idempotent. */
    @Override
    public void close() {
        if (arena != null && arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ": " + numUser + " users, " + numItem + " items (" + numWarmItem
                + " warm), " + train.size() + " training interactions]";
    }
}
