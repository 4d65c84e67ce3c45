package dev.clcrec.data.prepare;

import dev.clcrec.data.DatasetFormatException;

import java.util.Arrays;

/**
 * The split a live service faces: it always predicts the future. Interactions are ordered by
 * timestamp; the oldest {@code 1 - val - test} share trains, the next {@code val} share validates and
 * the newest {@code test} share tests. The cuts are timestamps (the first timestamp at or past each
 * share's end), so interactions with the same timestamp never straddle a cut and the shares are those
 * fractions of all interactions up to ties. Cold items are the items first seen after the training cut
 * (they have no training interaction); users first seen after it are dropped, as the model cannot know
 * them. Nothing is moved between the parts: a warm item is simply one seen before the cut.
 */
public final class TimeSplitter {
    /** Part of an interaction: {@link #TRAIN}, {@link #VAL} or {@link #TEST}. */
    static final byte TRAIN = 0;
    static final byte VAL = 1;
    static final byte TEST = 2;

    private TimeSplitter() {}

    /**
     * The two cut timestamps: an interaction before {@code train} trains, one before {@code test}
     * validates, the rest test.
     */
    record Cuts(long train, long test) {
        byte part(long time) {
            return time < train ? TRAIN : time < test ? VAL : TEST;
        }
    }

    /**
     * The cuts for these shares; every interaction needs a timestamp (the message names the flag as
     * {@code flag}, e.g. {@code --split time}).
     */
    static Cuts cuts(long[] times, double valFraction, double testFraction, String flag) {
        int n = times.length;
        int missing = 0;
        for (long t : times) {
            missing += t == RawLog.NO_TIME ? 1 : 0;
        }
        if (missing > 0) {
            throw new DatasetFormatException(flag + ": " + missing + " of " + n + " interactions have no "
                    + "timestamp (the 4th field); a time split needs one on every interaction");
        }
        if (n == 0) {
            throw new DatasetFormatException(flag + ": no interactions to split");
        }
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        return new Cuts(cut(sorted, n - Math.round((valFraction + testFraction) * n)),
                cut(sorted, n - Math.round(testFraction * n)));
    }

    /**
     * @param times the timestamp of each interaction; none may be {@link RawLog#NO_TIME}
     */
    public static Splitter.Result split(int[] users, int[] items, long[] times, int numUser, int numItem,
                                        double valFraction, double testFraction) {
        return split(users, items, times, numUser, numItem, valFraction, testFraction, false);
    }

    /**
     * @param onlyBeforeCut leave the items first seen after the training cut out of the result (with
     *                      their held-out interactions) instead of making them cold items
     *                      ({@link SplitMode#TIME_REPLAY}); the result then has no cold item, and
     *                      {@code itemOf} maps its items to the input's as usual
     */
    static Splitter.Result split(int[] users, int[] items, long[] times, int numUser, int numItem,
                                 double valFraction, double testFraction, boolean onlyBeforeCut) {
        Cuts cuts = cuts(times, valFraction, testFraction, onlyBeforeCut ? "--split time-replay" : "--split time");
        int n = users.length;
        byte[] part = new byte[n];
        boolean[] cold = new boolean[numItem];
        Arrays.fill(cold, true);
        boolean[] userTrained = new boolean[numUser];
        for (int k = 0; k < n; k++) {
            part[k] = cuts.part(times[k]);
            if (part[k] == TRAIN) {
                cold[items[k]] = false;
                userTrained[users[k]] = true;
            }
        }
        if (!onlyBeforeCut) {
            return Splitter.assemble(users, items, numUser, numItem, cold, part, userTrained, 0);
        }
        // renumber the items seen before the cut densely and keep only their interactions
        int[] dense = new int[numItem];
        int[] original = new int[numItem];
        int kept = 0;
        for (int i = 0; i < numItem; i++) {
            dense[i] = cold[i] ? -1 : kept;
            if (!cold[i]) {
                original[kept++] = i;
            }
        }
        int m = 0;
        for (int k = 0; k < n; k++) {
            m += cold[items[k]] ? 0 : 1;
        }
        int[] u2 = new int[m];
        int[] i2 = new int[m];
        byte[] p2 = new byte[m];
        for (int k = 0, j = 0; k < n; k++) {
            if (!cold[items[k]]) {
                u2[j] = users[k];
                i2[j] = dense[items[k]];
                p2[j++] = part[k];
            }
        }
        Splitter.Result r = Splitter.assemble(u2, i2, numUser, kept, new boolean[kept], p2, userTrained, 0);
        int[] itemOf = new int[r.numItem()];
        for (int i = 0; i < itemOf.length; i++) {
            itemOf[i] = original[r.itemOf()[i]];
        }
        return new Splitter.Result(r.numUser(), r.numItem(), r.numWarmItem(), r.userOf(), itemOf, r.train(), r.val(),
                r.test(), r.droppedUsers());
    }

    /** The first timestamp of the interactions from position {@code at} on (past the end: no cut). */
    private static long cut(long[] sorted, long at) {
        return at >= sorted.length ? Long.MAX_VALUE : sorted[(int) Math.max(0, at)];
    }
}
