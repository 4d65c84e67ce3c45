package dev.clcrec.eval;

/**
 * {@link FusedRanker}'s arithmetic in closed form, for serving. FusedRanker standardises a user's
 * model scores and content-profile scores over the cold items it ranks; every statistic it needs is
 * a linear or quadratic form of the user's two vectors over those items' two vectors (the model's
 * representation {@code e} and the content unit vector {@code x}), so the means and covariances of
 * {@code e} and {@code x} over a reference set of cold items give them for any user in
 * {@code O((dimE + width)^2)}, without a pass over the items.
 *
 * <p>The reference is the model's own cold items (those the weight was chosen on), fixed when the
 * model is built: a served score then does not depend on which items are in the catalog at the
 * moment, and over the model's own items it is FusedRanker's score up to float rounding.
 *
 * <p>The fused score of a cold item is linear in its two scores (see {@link User#fuse}): warm items
 * keep the model's score. Immutable and thread-safe.
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
    private final int width;
    private final double[] meanE;
    private final double[] meanX;
    private final double[] covEE;   // dimE x dimE
    private final double[] covXX;   // width x width
    private final double[] covEX;   // dimE x width

    private FusionCalibration(double weight, int dimE, int width, double[] meanE, double[] meanX, double[] covEE,
                              double[] covXX, double[] covEX) {
        this.weight = weight;
        this.dimE = dimE;
        this.width = width;
        this.meanE = meanE;
        this.meanX = meanX;
        this.covEE = covEE;
        this.covXX = covXX;
        this.covEX = covEX;
    }

    /**
     * The calibration over items {@code firstCold..numItem-1}.
     *
     * @param representation numItem x dimE, the vectors the model ranks items by
     * @param content        numItem x width, each item's content unit vector ({@link ContentVectors})
     * @param weight         the content evidence's weight (finite, at least 0)
     */
    public static FusionCalibration over(float[] representation, int dimE, float[] content, int width, int firstCold,
                                         double weight) {
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("fusion weight must be a finite number >= 0, got " + weight);
        }
        if (dimE <= 0 || width <= 0 || representation.length % dimE != 0 || content.length % width != 0
                || representation.length / dimE != content.length / width) {
            throw new IllegalArgumentException("representation (" + representation.length + " floats of width " + dimE
                    + ") and content (" + content.length + " of width " + width + ") disagree on the item count");
        }
        int numItem = representation.length / dimE;
        int n = numItem - firstCold;
        if (firstCold < 0 || n < 2) {
            throw new IllegalArgumentException("the calibration needs at least two cold items; items " + firstCold
                    + ".." + numItem + " are too few");
        }
        double[] meanE = new double[dimE];
        double[] meanX = new double[width];
        for (int j = firstCold; j < numItem; j++) {
            for (int a = 0; a < dimE; a++) {
                meanE[a] += representation[j * dimE + a];
            }
            for (int c = 0; c < width; c++) {
                meanX[c] += content[j * width + c];
            }
        }
        scale(meanE, 1.0 / n);
        scale(meanX, 1.0 / n);
        double[] covEE = new double[dimE * dimE];
        double[] covXX = new double[width * width];
        double[] covEX = new double[dimE * width];
        double[] e = new double[dimE];
        double[] x = new double[width];
        for (int j = firstCold; j < numItem; j++) {
            for (int a = 0; a < dimE; a++) {
                e[a] = representation[j * dimE + a] - meanE[a];
            }
            for (int c = 0; c < width; c++) {
                x[c] = content[j * width + c] - meanX[c];
            }
            addOuter(covEE, e, e);
            addOuter(covXX, x, x);
            addOuter(covEX, e, x);
        }
        scale(covEE, 1.0 / n);
        scale(covXX, 1.0 / n);
        scale(covEX, 1.0 / n);
        return new FusionCalibration(weight, dimE, width, meanE, meanX, covEE, covXX, covEX);
    }

    public double weight() {
        return weight;
    }

    public int width() {
        return width;
    }

    /**
     * How a user's cold items are fused, or null when they are not (weight 0, or a user whose model or
     * content scores do not vary over the reference: FusedRanker leaves those to the model too).
     *
     * @param user    the user's model vector, at {@code offset}
     * @param profile the user's content profile (the mean of its items' content unit vectors)
     */
    public User forUser(float[] user, int offset, float[] profile) {
        if (weight == 0) {
            return null;
        }
        double[] u = new double[dimE];
        for (int a = 0; a < dimE; a++) {
            u[a] = user[offset + a];
        }
        double[] p = new double[width];
        for (int c = 0; c < width; c++) {
            p[c] = profile[c];
        }
        double modelMean = dot(u, meanE);
        double contentMean = dot(p, meanX);
        double modelVar = quadratic(u, covEE, u);
        double contentVar = quadratic(p, covXX, p);
        if (!(modelVar > 0) || !(contentVar > 0)) {
            return null;
        }
        double modelSpread = Math.sqrt(modelVar);
        double contentSpread = Math.sqrt(contentVar);
        double correlation = quadratic(u, covEX, p) / (modelSpread * contentSpread);
        // mixed = z(model) + weight * z(content) has mean 0 and this standard deviation
        double mixedSpread = Math.sqrt(Math.max(1 + weight * weight + 2 * weight * correlation, 0));
        if (!(mixedSpread > 0)) {
            return null;
        }
        double modelSlope = 1 / mixedSpread;
        double contentSlope = weight * modelSpread / (contentSpread * mixedSpread);
        return new User(modelMean - modelSlope * modelMean - contentSlope * contentMean, modelSlope, contentSlope);
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

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    // a^T M b for M of a.length x b.length, row-major
    private static double quadratic(double[] a, double[] m, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == 0) {
                continue;
            }
            double row = 0;
            int o = i * b.length;
            for (int j = 0; j < b.length; j++) {
                row += m[o + j] * b[j];
            }
            s += a[i] * row;
        }
        return s;
    }

    private static void addOuter(double[] m, double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            double ai = a[i];
            int o = i * b.length;
            for (int j = 0; j < b.length; j++) {
                m[o + j] += ai * b[j];
            }
        }
    }

    private static void scale(double[] v, double f) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= f;
        }
    }
}
