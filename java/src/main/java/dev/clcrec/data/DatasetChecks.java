package dev.clcrec.data;

import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;

import java.util.Map;

/** Consistency checks every loaded or prepared dataset passes. */
final class DatasetChecks {
    private static final System.Logger LOG = System.getLogger(DatasetChecks.class.getName());

    private DatasetChecks() {}

    static void validate(String source, int numUser, int numItem, int numWarmItem, Interactions train,
                         Map<Split, Map<Setting, Interactions>> heldOut, ContentFeatures content,
                         IdMapping ids, boolean allowUsersWithoutTraining) {
        if (numUser <= 0) {
            throw new DatasetFormatException(source + ": num_user is " + numUser + ", expected > 0");
        }
        if (numWarmItem <= 0 || numWarmItem > numItem) {
            throw new DatasetFormatException(source + ": num_warm_item is " + numWarmItem
                    + ", expected 1 <= num_warm_item <= num_item = " + numItem);
        }
        checkRows(source, "train", train, numUser);
        if (train.size() == 0) {
            throw new DatasetFormatException(source + ": empty split: train has no interactions");
        }
        checkColumns(source, "train", train, 0, numWarmItem,
                "a warm item (cold items never appear in training)");
        for (Split split : Split.values()) {
            Map<Setting, Interactions> bySetting = heldOut.get(split);
            if (bySetting == null) {
                throw new DatasetFormatException(source + ": missing held-out split " + split);
            }
            for (Setting setting : Setting.values()) {
                Interactions h = bySetting.get(setting);
                String what = split.name().toLowerCase() + "/" + setting.name().toLowerCase();
                if (h == null) {
                    throw new DatasetFormatException(source + ": missing held-out set " + what);
                }
                checkRows(source, what, h, numUser);
                switch (setting) {
                    case ALL -> checkColumns(source, what, h, 0, numItem, "an item id");
                    case WARM -> checkColumns(source, what, h, 0, numWarmItem, "a warm item");
                    case COLD -> checkColumns(source, what, h, numWarmItem, numItem, "a cold item");
                }
            }
            if (bySetting.get(Setting.ALL).size() == 0) {
                throw new DatasetFormatException(source + ": empty split: " + split.name().toLowerCase()
                        + " has no held-out interactions");
            }
            if (numWarmItem < numItem && bySetting.get(Setting.COLD).size() == 0) {
                LOG.log(System.Logger.Level.WARNING, "{0}: {1} has no cold-item interactions", source,
                        split.name().toLowerCase());
            }
        }
        checkHeldOutNotInTraining(source, train, heldOut, allowUsersWithoutTraining);
        int withoutTraining = 0;
        int first = -1;
        for (int u = 0; u < numUser; u++) {
            if (train.rowLength(u) == 0) {
                if (first < 0) {
                    first = u;
                }
                withoutTraining++;
            }
        }
        if (withoutTraining > 0) {
            if (!allowUsersWithoutTraining) {
                throw new DatasetFormatException(source + ": " + withoutTraining
                        + " user(s) have no training items (first: user " + first
                        + "); every user needs at least one training interaction");
            }
            LOG.log(System.Logger.Level.WARNING,
                    "{0}: {1} user(s) have no training items (first: user {2}); the reference layout allows this",
                    source, withoutTraining, first);
        }
        if (content == null) {
            throw new DatasetFormatException(source + ": no content features");
        }
        for (FeatureMatrix m : content.modalities()) {
            FeatureChecks.check(source, m, numItem);
        }
        if (content.words() != null) {
            FeatureChecks.check(source, content.words(), numItem);
        }
        if (content.modalities().isEmpty() && content.words() == null) {
            throw new DatasetFormatException(source + ": no content modality; cold items need content features");
        }
        if (ids != null) {
            if (ids.userIds().size() != numUser) {
                throw new DatasetFormatException(source + ": user id mapping has " + ids.userIds().size()
                        + " entries, expected num_user = " + numUser);
            }
            if (ids.itemIds().size() != numItem) {
                throw new DatasetFormatException(source + ": item id mapping has " + ids.itemIds().size()
                        + " entries, expected num_item = " + numItem);
            }
        }
    }

    /**
     * A held-out pair that is also a training pair can never count as a hit (training items are
     * excluded from the ranking), so it silently lowers every metric. Our layout refuses it; the
     * reference layout (files as the authors shipped them) loads with a counted warning. FORMAT.md
     * documents both.
     */
    private static void checkHeldOutNotInTraining(String source, Interactions train,
                                                  Map<Split, Map<Setting, Interactions>> heldOut,
                                                  boolean warnOnly) {
        for (Split split : Split.values()) {
            Interactions h = heldOut.get(split).get(Setting.ALL);
            long overlap = 0;
            int firstUser = -1;
            int firstItem = -1;
            for (int u = 0; u < h.numRows() && u < train.numRows(); u++) {
                for (long k = h.offsets()[u]; k < h.offsets()[u + 1]; k++) {
                    int item = h.columns()[(int) k];
                    if (train.contains(u, item)) {
                        if (overlap++ == 0) {
                            firstUser = u;
                            firstItem = item;
                        }
                    }
                }
            }
            if (overlap == 0) {
                continue;
            }
            String what = split.name().toLowerCase() + " has " + overlap + " pair(s) that are also training pairs "
                    + "(first: user " + firstUser + ", item " + firstItem + ")";
            if (!warnOnly) {
                throw new DatasetFormatException(source + ": " + what
                        + "; a held-out pair can never be a hit, remove it from one of the two");
            }
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}; they can never be hits and lower the metrics",
                    source, what);
        }
    }

    private static void checkRows(String source, String what, Interactions x, int numUser) {
        if (x.numRows() != numUser) {
            throw new DatasetFormatException(source + ": " + what + " has " + x.numRows()
                    + " user rows, expected num_user = " + numUser);
        }
    }

    private static void checkColumns(String source, String what, Interactions x, int from, int to,
                                     String expected) {
        for (int u = 0; u < x.numRows(); u++) {
            for (long k = x.offsets()[u]; k < x.offsets()[u + 1]; k++) {
                int item = x.columns()[(int) k];
                if (item < from || item >= to) {
                    throw new DatasetFormatException(source + ": " + what + ": user " + u + " has item " + item
                            + ", expected " + expected + " in [" + from + ", " + to + ")");
                }
            }
        }
    }
}
