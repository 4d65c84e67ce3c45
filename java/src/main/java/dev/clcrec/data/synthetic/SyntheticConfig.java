package dev.clcrec.data.synthetic;

import java.util.List;

/**
 * A synthetic dataset with planted structure: items and users have latent factors; users pick items by
 * latent dot product (plus item popularity and Gumbel noise); every content modality is a random linear
 * projection of the item factors plus Gaussian noise, so content predicts taste and cold items are learnable.
 */
public record SyntheticConfig(String name, int numUser, int numItem, double coldFraction, int latentDim,
                              List<Modality> modalities, double meanInteractions, int minInteractions,
                              double preferenceScale, long seed) {

    /** One modality: width and the standard deviation of its noise (the signal has unit variance per column). */
    public record Modality(String name, int dim, double noise) {}

    public SyntheticConfig {
        modalities = List.copyOf(modalities);
        if (numUser < 1 || numItem < 2 || latentDim < 1 || minInteractions < 1 || modalities.isEmpty()) {
            throw new IllegalArgumentException("invalid synthetic configuration: " + numUser + " users, " + numItem
                    + " items, latent " + latentDim + ", min " + minInteractions + ", " + modalities.size() + " modalities");
        }
    }

    /** The bundled default: 1,500 users x 1,000 items, three modalities (about 1 MB on disk). */
    public static SyntheticConfig small(long seed) {
        return new SyntheticConfig("synthetic-small", 1500, 1000, 0.2, 16,
                List.of(new Modality("v", 64, 0.5), new Modality("a", 32, 1.0), new Modality("t", 32, 0.8)),
                30, 5, 2.5, seed);
    }

    /** MovieLens as in the paper: 55,485 x 5,986, 867 cold items, features 2048 + 128 + 100. */
    public static SyntheticConfig movieLens(long seed) {
        return new SyntheticConfig("synthetic-movielens", 55485, 5986, 867.0 / 5986, 16,
                List.of(new Modality("v", 2048, 0.5), new Modality("a", 128, 1.0), new Modality("t", 100, 0.8)),
                22.4, 5, 2.5, seed);
    }

    /** Amazon as in the paper: 27,044 x 86,506, 17,696 cold items, 4,096-wide visual features only. */
    public static SyntheticConfig amazon(long seed) {
        return new SyntheticConfig("synthetic-amazon", 27044, 86506, 17696.0 / 86506, 16,
                List.of(new Modality("v", 4096, 0.5)), 7.4, 3, 2.5, seed);
    }

    public static SyntheticConfig preset(String name, long seed) {
        return switch (name) {
            case "small" -> small(seed);
            case "movielens" -> movieLens(seed);
            case "amazon" -> amazon(seed);
            default -> throw new IllegalArgumentException("unknown preset '" + name + "', expected small, movielens or amazon");
        };
    }
}
