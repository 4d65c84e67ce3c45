package dev.clcrec.data.prepare;

/**
 * How raw interactions become a dataset, following the paper's protocol by default: 20% of items cold
 * (never trained on), warm interactions 80/10/10 train/val/test, cold interactions 50/50 val/test.
 * With {@link SplitMode#TIME} the newest interactions are held out instead (val and test fractions
 * of all interactions, by timestamp) and the cold items are those first seen after the training cut;
 * the cold fraction is then unused. {@link SplitMode#TIME_REPLAY} cuts the same way but leaves what is
 * new after the cut out of the dataset and writes it to {@code after-cut/} ({@link AfterCutLog}).
 *
 * @param ratingThreshold keep interactions with rating >= this; NaN keeps all
 * @param minUserInteractions drop users with fewer interactions (applied with items until stable)
 * @param minItemInteractions drop items with fewer interactions
 */
public record PrepareOptions(String name, double coldFraction, double valFraction, double testFraction,
                             double ratingThreshold, int minUserInteractions, int minItemInteractions,
                             long seed, int titleDim, SplitMode split) {

    public PrepareOptions {
        if (!(coldFraction >= 0 && coldFraction < 1)) {
            throw new IllegalArgumentException("cold fraction must be in [0, 1), got " + coldFraction);
        }
        if (!(valFraction >= 0 && testFraction >= 0 && valFraction + testFraction < 1)) {
            throw new IllegalArgumentException("val + test fractions must be in [0, 1), got "
                    + valFraction + " + " + testFraction);
        }
        if (minUserInteractions < 1 || minItemInteractions < 1) {
            throw new IllegalArgumentException("minimum counts must be >= 1");
        }
        java.util.Objects.requireNonNull(split, "split");
        if (titleDim < 1) {
            throw new IllegalArgumentException("title feature width must be >= 1, got " + titleDim);
        }
    }

    public static PrepareOptions defaults(String name) {
        return new PrepareOptions(name, 0.2, 0.1, 0.1, Double.NaN, 1, 1, 1, 64, SplitMode.RANDOM);
    }

    public PrepareOptions withColdFraction(double v) {
        return new PrepareOptions(name, v, valFraction, testFraction, ratingThreshold, minUserInteractions,
                minItemInteractions, seed, titleDim, split);
    }

    public PrepareOptions withRatingThreshold(double v) {
        return new PrepareOptions(name, coldFraction, valFraction, testFraction, v, minUserInteractions,
                minItemInteractions, seed, titleDim, split);
    }

    public PrepareOptions withMinCounts(int user, int item) {
        return new PrepareOptions(name, coldFraction, valFraction, testFraction, ratingThreshold, user, item, seed,
                titleDim, split);
    }

    public PrepareOptions withSeed(long v) {
        return new PrepareOptions(name, coldFraction, valFraction, testFraction, ratingThreshold,
                minUserInteractions, minItemInteractions, v, titleDim, split);
    }

    public PrepareOptions withTitleDim(int v) {
        return new PrepareOptions(name, coldFraction, valFraction, testFraction, ratingThreshold,
                minUserInteractions, minItemInteractions, seed, v, split);
    }

    public PrepareOptions withSplit(SplitMode v) {
        return new PrepareOptions(name, coldFraction, valFraction, testFraction, ratingThreshold,
                minUserInteractions, minItemInteractions, seed, titleDim, v);
    }
}
