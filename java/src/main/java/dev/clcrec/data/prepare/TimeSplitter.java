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
    private TimeSplitter() {}

    /**
     * @param times the timestamp of each interaction; none may be {@link RawLog#NO_TIME}
     */
    public static Splitter.Result split(int[] users, int[] items, long[] times, int numUser, int numItem,
                                        double valFraction, double testFraction) {
        int n = users.length;
        int missing = 0;
        for (long t : times) {
            missing += t == RawLog.NO_TIME ? 1 : 0;
        }
        if (missing > 0) {
            throw new DatasetFormatException("--split time: " + missing + " of " + n + " interactions have no "
                    + "timestamp (the 4th field); a time split needs one on every interaction");
        }
        if (n == 0) {
            throw new DatasetFormatException("--split time: no interactions to split");
        }
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        long trainCut = cut(sorted, n - Math.round((valFraction + testFraction) * n));
        long testCut = cut(sorted, n - Math.round(testFraction * n));
        byte[] part = new byte[n];
        boolean[] cold = new boolean[numItem];
        Arrays.fill(cold, true);
        boolean[] userTrained = new boolean[numUser];
        for (int k = 0; k < n; k++) {
            long t = times[k];
            part[k] = (byte) (t < trainCut ? 0 : t < testCut ? 1 : 2);
            if (part[k] == 0) {
                cold[items[k]] = false;
                userTrained[users[k]] = true;
            }
        }
        return Splitter.assemble(users, items, numUser, numItem, cold, part, userTrained, 0);
    }

    /** The first timestamp of the interactions from position {@code at} on (past the end: no cut). */
    private static long cut(long[] sorted, long at) {
        return at >= sorted.length ? Long.MAX_VALUE : sorted[(int) Math.max(0, at)];
    }
}
