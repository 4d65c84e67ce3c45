package dev.clcrec.eval;

import dev.clcrec.sampling.Seeds;
import java.util.SplittableRandom;

/** The random baseline: each user ranks items by seeded uniform random scores. Thread-safe. */
public final class RandomRanker extends ScoreRanker {
    private final long seed;

    public RandomRanker(int numItem, long seed) {
        super(numItem);
        this.seed = seed;
    }

    @Override
    public float[] scores(int user) {
        SplittableRandom rng = new SplittableRandom(Seeds.stream(seed, user, 0));
        float[] s = new float[numItem()];
        for (int j = 0; j < s.length; j++) {
            s[j] = rng.nextFloat();
        }
        return s;
    }
}
