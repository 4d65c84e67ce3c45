package dev.clcrec.eval;

import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.sampling.ItemSets;
import java.util.stream.IntStream;

/**
 * The content-only nearest-neighbour baseline: every item's {@code k} nearest warm items by cosine
 * similarity of raw content ({@link ContentVectors}); a user's score for an item is the summed
 * similarity of those neighbours the user trained on. Cold items get scores through their warm
 * neighbours, which is how a content-kNN recommender serves new items.
 */
public final class ItemKnnBaseline extends ScoreRanker {
    /** Neighbours kept per item. */
    public static final int DEFAULT_NEIGHBOURS = 50;

    private final ItemSets train;
    private final int k;
    private final int[] neighbours;    // numItem x k, most similar first; -1 where fewer exist
    private final float[] similarity;  // numItem x k

    private ItemKnnBaseline(ItemSets train, int numItem, int k, int[] neighbours, float[] similarity) {
        super(numItem);
        this.train = train;
        this.k = k;
        this.neighbours = neighbours;
        this.similarity = similarity;
    }

    /** Neighbours are drawn from the warm items {@code 0..numWarmItem-1}. */
    public static ItemKnnBaseline of(ContentFeatures content, ItemSets train, int numWarmItem, int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("neighbours must be > 0, got " + k);
        }
        ContentVectors items = ContentVectors.of(content);
        int n = items.numItem();
        int[] nb = new int[Math.multiplyExact(n, k)];
        float[] sim = new float[nb.length];
        IntStream.range(0, n).parallel().forEach(j -> {
            int[] best = new int[k];
            float[] bestSim = new float[k];
            int got = 0;
            for (int i = 0; i < numWarmItem; i++) {
                if (i == j) {
                    continue;
                }
                float s = items.cosine(j, i);
                if (got == k && !(s > bestSim[k - 1])) {
                    continue;
                }
                int p = got == k ? k - 1 : got++;
                while (p > 0 && s > bestSim[p - 1]) {
                    best[p] = best[p - 1];
                    bestSim[p] = bestSim[p - 1];
                    p--;
                }
                best[p] = i;
                bestSim[p] = s;
            }
            for (int p = 0; p < k; p++) {
                nb[j * k + p] = p < got ? best[p] : -1;
                sim[j * k + p] = p < got ? bestSim[p] : 0f;
            }
        });
        return new ItemKnnBaseline(train, n, k, nb, sim);
    }

    @Override
    public float[] scores(int user) {
        float[] s = new float[numItem()];
        for (int j = 0; j < s.length; j++) {
            float total = 0;
            for (int p = j * k; p < (j + 1) * k && neighbours[p] >= 0; p++) {
                if (train.contains(user, neighbours[p])) {
                    total += similarity[p];
                }
            }
            s[j] = total;
        }
        return s;
    }
}
