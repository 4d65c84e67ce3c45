package dev.clcrec.sampling;

import java.util.SplittableRandom;

/**
 * The (user, item) training interactions, one pair per index, in CSR order.
 *
 * @param users user of each pair
 * @param items item (dense local id) of each pair
 */
public record TrainingPairs(int[] users, int[] items) {
    public TrainingPairs {
        if (users.length != items.length) {
            throw new IllegalArgumentException("users and items differ in length: " + users.length + " vs " + items.length);
        }
    }

    /** Every (row, column) of the training sets, row by row. */
    public static TrainingPairs of(ItemSets train) {
        int n = train.columns().length;
        int[] users = new int[n];
        for (int u = 0; u < train.numRows(); u++) {
            for (int p = train.rowStart(u); p < train.rowEnd(u); p++) {
                users[p] = u;
            }
        }
        return new TrainingPairs(users, train.columns().clone());
    }

    public int size() {
        return users.length;
    }

    /**
     * The order in which an epoch visits the pairs: a Fisher-Yates shuffle keyed by the seed and
     * the epoch alone, so an epoch can be regenerated exactly when training resumes.
     */
    public int[] epochOrder(long seed, long epoch) {
        int[] order = new int[users.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(Seeds.stream(seed, epoch, Seeds.SHUFFLE_STREAM));
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
