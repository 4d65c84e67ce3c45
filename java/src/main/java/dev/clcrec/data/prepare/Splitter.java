package dev.clcrec.data.prepare;

import dev.clcrec.data.DatasetFormatException;
import dev.clcrec.data.Interactions;
import dev.clcrec.data.InteractionsBuilder;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The paper's split, seeded: a fraction of items becomes cold (no training interactions), warm
 * interactions go train/val/test by the given fractions, cold ones 50/50 val/test. Afterwards every
 * warm item and every user gets at least one training interaction where possible (one held-out
 * interaction is moved to train); users left with none (only cold items) are dropped. Dense ids keep
 * the order of the input ids, warm items first, then cold.
 */
public final class Splitter {
    private static final System.Logger LOG = System.getLogger(Splitter.class.getName());

    private Splitter() {}

    /**
     * @param userOf   dense dataset user -> input user id
     * @param itemOf   dense dataset item -> input item id (warm first, then cold)
     */
    public record Result(int numUser, int numItem, int numWarmItem, int[] userOf, int[] itemOf,
                         Interactions train, Interactions val, Interactions test, int droppedUsers) {}

    /** Pairs must be distinct with ids in {@code [0, numUser)} and {@code [0, numItem)}. */
    public static Result split(int[] users, int[] items, int numUser, int numItem, double coldFraction,
                               double valFraction, double testFraction, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int numCold = (int) Math.round(coldFraction * numItem);
        int[] perm = new int[numItem];
        for (int k = 0; k < numItem; k++) {
            perm[k] = k;
        }
        for (int k = numItem - 1; k > 0; k--) {
            int j = rng.nextInt(k + 1);
            int t = perm[k];
            perm[k] = perm[j];
            perm[j] = t;
        }
        boolean[] cold = new boolean[numItem];
        for (int k = 0; k < numCold; k++) {
            cold[perm[k]] = true;
        }
        int n = users.length;
        byte[] part = new byte[n]; // 0 train, 1 val, 2 test
        for (int k = 0; k < n; k++) {
            double x = rng.nextDouble();
            if (cold[items[k]]) {
                part[k] = (byte) (x < 0.5 ? 1 : 2);
            } else {
                part[k] = (byte) (x < valFraction ? 1 : x < valFraction + testFraction ? 2 : 0);
            }
        }
        // every warm item with interactions and every user with warm interactions gets a training pair
        boolean[] itemTrained = new boolean[numItem];
        boolean[] userTrained = new boolean[numUser];
        for (int k = 0; k < n; k++) {
            if (part[k] == 0) {
                itemTrained[items[k]] = true;
                userTrained[users[k]] = true;
            }
        }
        int moved = 0;
        for (int k = 0; k < n; k++) {
            if (part[k] != 0 && !cold[items[k]] && (!itemTrained[items[k]] || !userTrained[users[k]])) {
                part[k] = 0;
                itemTrained[items[k]] = true;
                userTrained[users[k]] = true;
                moved++;
            }
        }
        return assemble(users, items, numUser, numItem, cold, part, userTrained, moved);
    }

    /**
     * Dense ids and the three interaction sets from a decided split: users without a training
     * interaction are dropped, items are numbered warm first then cold, each in input order.
     *
     * @param part 0 train, 1 val, 2 test for each interaction
     */
    static Result assemble(int[] users, int[] items, int numUser, int numItem, boolean[] cold, byte[] part,
                           boolean[] userTrained, int moved) {
        int n = users.length;
        int[] denseUser = new int[numUser];
        Arrays.fill(denseUser, -1);
        int nu = 0;
        for (int u = 0; u < numUser; u++) {
            if (userTrained[u]) {
                denseUser[u] = nu++;
            }
        }
        int dropped = numUser - nu;
        int[] userOf = new int[nu];
        for (int u = 0; u < numUser; u++) {
            if (denseUser[u] >= 0) {
                userOf[denseUser[u]] = u;
            }
        }
        int[] denseItem = new int[numItem];
        int[] itemOf = new int[numItem];
        int ni = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < numItem; i++) {
                if (cold[i] == (pass == 1)) {
                    denseItem[i] = ni;
                    itemOf[ni++] = i;
                }
            }
        }
        int numWarm = 0;
        for (boolean c : cold) {
            numWarm += c ? 0 : 1;
        }
        int numCold = numItem - numWarm;
        if (numWarm == 0 || nu == 0) {
            throw new DatasetFormatException("split: no warm items or no users left (items " + numItem
                    + ", cold " + numCold + ", users " + nu + ")");
        }
        InteractionsBuilder[] b = {
                new InteractionsBuilder("train split", nu, numItem),
                new InteractionsBuilder("val split", nu, numItem),
                new InteractionsBuilder("test split", nu, numItem)};
        for (int k = 0; k < n; k++) {
            int du = denseUser[users[k]];
            if (du >= 0) {
                b[part[k]].add(du, denseItem[items[k]], k);
            }
        }
        if (moved > 0 || dropped > 0) {
            LOG.log(System.Logger.Level.INFO,
                    "split: moved {0} held-out interaction(s) to train so every warm item and user trains; "
                            + "dropped {1} user(s) without training interactions", moved, dropped);
        }
        return new Result(nu, numItem, numWarm, userOf, itemOf, b[0].build().interactions(),
                b[1].build().interactions(), b[2].build().interactions(), dropped);
    }
}
