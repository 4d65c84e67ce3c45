package dev.clcrec.eval;

import dev.clcrec.engine.ClcrecModel;

/**
 * A {@link Ranker} in plain Java over given user and item vectors (score = dot product). Used for
 * baselines and to check the native ranking; the trained model ranks natively.
 * Immutable and thread-safe.
 */
public final class DotProductRanker extends ScoreRanker {
    private final float[] users;
    private final float[] items;
    private final int dim;

    /** @param users numUser x dim, row-major; @param items numItem x dim, row-major */
    public DotProductRanker(float[] users, float[] items, int dim) {
        if (dim <= 0 || users.length % dim != 0 || items.length % dim != 0) {
            throw new IllegalArgumentException("vectors are not a whole number of rows of width " + dim);
        }
        super(items.length / dim);
        this.users = users;
        this.items = items;
        this.dim = dim;
    }

    /** The model's own scores: its user embeddings against the vectors it ranks items by, read once. */
    public static DotProductRanker of(ClcrecModel model) {
        return new DotProductRanker(model.userEmbeddings(), model.itemRepresentation(),
                Math.toIntExact(model.config().dimE()));
    }

    @Override
    public float[] scores(int user) {
        int numItem = numItem();
        float[] out = new float[numItem];
        int u = user * dim;
        for (int j = 0; j < numItem; j++) {
            float s = 0;
            int o = j * dim;
            for (int d = 0; d < dim; d++) {
                s += users[u + d] * items[o + d];
            }
            out[j] = s;
        }
        return out;
    }
}
