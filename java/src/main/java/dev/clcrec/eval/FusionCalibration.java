package dev.clcrec.eval;

import java.util.Arrays;

/**
 * {@link FusedRanker}'s arithmetic for serving. FusedRanker standardises a user's model scores and
 * content-profile scores over the cold items it ranks and maps their weighted sum back to the model's
 * cold scores; that makes a cold item's fused score linear in its two scores (see {@link User#fuse}),
 * with a slope and intercept per user that come from the user's means and spreads over the cold
 * items. This class computes them once per user, over a fixed reference set of cold items, in
 * {@code O(items x (dimE + non-zero content columns))}; a request then fuses each cold item it scores
 * in constant time.
 *
 * <p>The reference is the model's own cold items (those the weight was chosen on), fixed when the
 * model is built: a served score then does not depend on which items are in the catalog at the
 * moment, and over the model's own items it is FusedRanker's score up to float rounding (the
 * statistics are FusedRanker's, summed in the same order).
 *
 * <p>Immutable and thread-safe.
 */
public final class FusionCalibration {
    /**
     * Fewest cold items a fusion is calibrated and chosen over: per-user means and spreads over a
     * handful of items are noise (a model retrained in a service may have few items without
     * interactions left); below it the model ranks its cold items alone.
     */
    public static final int MIN_ITEMS = 20;

    private final double weight;
    private final int dimE;
    private final float[] representation; // the reference items' model vectors, items x dimE
    private final ProfileEvidence space;
    private final int firstCold;

    private FusionCalibration(double weight, int dimE, float[] representation, ProfileEvidence space,
                              int firstCold) {
        this.weight = weight;
        this.dimE = dimE;
        this.representation = representation;
        this.space = space;
        this.firstCold = firstCold;
    }

    /**
     * The calibration over the model items {@code firstCold..numItem-1}.
     *
     * @param representation numItem x dimE, the vectors the model ranks items by (the cold rows are copied)
     * @param space          the content space of the same items
     * @param weight         the content evidence's weight (finite, at least 0)
     */
    public static FusionCalibration over(float[] representation, int dimE, ProfileEvidence space, int firstCold,
                                         double weight) {
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("fusion weight must be a finite number >= 0, got " + weight);
        }
        if (dimE <= 0 || representation.length % dimE != 0 || representation.length / dimE != space.numItem()) {
            throw new IllegalArgumentException("representation (" + representation.length + " floats of width " + dimE
                    + ") and content (" + space.numItem() + " items) disagree on the item count");
        }
        int numItem = space.numItem();
        if (firstCold < 0 || numItem - firstCold < 2) {
            throw new IllegalArgumentException("the calibration needs at least two cold items; items " + firstCold
                    + ".." + numItem + " are too few");
        }
        return new FusionCalibration(weight, dimE,
                Arrays.copyOfRange(representation, firstCold * dimE, numItem * dimE), space, firstCold);
    }

    public double weight() {
        return weight;
    }

    /**
     * How a user's cold items are fused, or null when they are not (weight 0, or a user whose model or
     * content scores do not vary over the reference: FusedRanker leaves those to the model too).
     *
     * @param user    the user's model vector, at {@code offset}
     * @param profile the user's content profile in the space
     */
    public User forUser(float[] user, int offset, EvidenceProfile profile) {
        if (weight == 0) {
            return null;
        }
        int n = representation.length / dimE;
        float[] evidence = new float[n];
        space.scores(profile, firstCold, firstCold + n, evidence);
        float[] scores = new DotProductRanker(Arrays.copyOfRange(user, offset, offset + dimE), representation, dimE)
                .scores(0);
        double[] own = new double[n];
        double[] content = new double[n];
        for (int j = 0; j < n; j++) {
            own[j] = scores[j];
            content[j] = evidence[j];
        }
        FusedRanker.Standardised z = FusedRanker.Standardised.of(own, content, weight);
        if (z == null) {
            return null;
        }
        double modelSlope = 1 / z.mixedSpread();
        double contentSlope = weight * z.modelSpread() / (z.evidenceSpread() * z.mixedSpread());
        return new User(z.modelMean() - modelSlope * z.modelMean() - contentSlope * z.evidenceMean(), modelSlope,
                contentSlope);
    }

    /**
     * One user's fusion: a cold item's fused score is {@code intercept + modelSlope * s + contentSlope * c}
     * for its model score {@code s} and content-profile score {@code c}, which is FusedRanker's
     * {@code mean + spread * (z(s) + weight * z(c)) / spread(z(s) + weight * z(c))} expanded.
     */
    public record User(double intercept, double modelSlope, double contentSlope) {
        public float fuse(float modelScore, float contentScore) {
            return (float) (intercept + modelSlope * modelScore + contentSlope * contentScore);
        }
    }
}
