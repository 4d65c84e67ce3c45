package dev.clcrec.eval;

/**
 * The model's scores with a content baseline's evidence added on cold items. For each user, over the
 * cold items, both score vectors are standardised (mean 0, standard deviation 1) and summed as
 * {@code z(model) + weight * z(content)}; the sum is then mapped back to the mean and spread of the
 * model's own cold scores. Standardising per user is what lets one weight serve every user: the
 * model's dot products and a baseline's summed similarities live on scales that differ by orders of
 * magnitude and from user to user. Mapping back re-orders the cold items among themselves without
 * changing how their scores spread against the warm items', which stay the model's (content evidence
 * knows little about warm items next to their id embeddings), so cold items as a group do not flood
 * the ranking over all items (a baseline whose scores are zero for most items and large for a few,
 * as content-kNN's, can still lift those few to the top of it). Scaling a user's model vector
 * scales all its scores alike, scaling a baseline's scores changes nothing, and weight 0 ranks as
 * the model.
 *
 * <p>This measures how much of what the content baselines know about a user the trained model
 * misses on new items (BENCHMARKS.md, "Content evidence beside the model"). With the content-profile
 * baseline it is also how a model trained with content fusion ranks (its weight chosen on validation
 * after training, dev.clcrec.train.ContentFusionChoice): it is evaluated with this class and served
 * with {@link FusionCalibration}, the same scores in closed form.
 */
public final class FusedRanker extends ScoreRanker {
    private final ScoreRanker model;
    private final int firstCold;
    private final ScoreRanker content;
    private final double weight;

    /**
     * @param model     the model's scores (a {@link DotProductRanker} over its user vectors and the
     *                  item vectors it ranks by: id embeddings of warm items, the encoder's output for
     *                  cold ones)
     * @param firstCold the first cold item (the number of warm items); items from it on get the evidence
     * @param content   the baseline whose standardised scores are added
     * @param weight    the baseline's weight, finite and at least 0
     */
    public FusedRanker(ScoreRanker model, int firstCold, ScoreRanker content, double weight) {
        super(model.numItem());
        if (content.numItem() != model.numItem()) {
            throw new IllegalArgumentException("the model ranks " + model.numItem() + " items and the baseline "
                    + content.numItem());
        }
        if (firstCold < 0 || firstCold > model.numItem()) {
            throw new IllegalArgumentException("first cold item " + firstCold + " is outside 0.." + model.numItem());
        }
        if (!(weight >= 0) || !Double.isFinite(weight)) {
            throw new IllegalArgumentException("fusion weight must be a finite number >= 0, got " + weight);
        }
        this.model = model;
        this.firstCold = firstCold;
        this.content = content;
        this.weight = weight;
    }

    @Override
    public float[] scores(int user) {
        float[] fused = model.scores(user);
        int n = fused.length;
        int cold = n - firstCold;
        if (weight == 0 || cold < 2) {
            return fused;
        }
        float[] c = content.scores(user);
        double[] own = new double[cold];
        double[] evidence = new double[cold];
        for (int j = 0; j < cold; j++) {
            own[j] = fused[firstCold + j];
            evidence[j] = c[firstCold + j];
        }
        Standardised z = Standardised.of(own, evidence, weight);
        if (z == null) {
            return fused; // no evidence (a user without training items) or nothing to re-order
        }
        for (int j = 0; j < cold; j++) {
            fused[firstCold + j] = (float) (z.modelMean + z.modelSpread * z.mixed(own[j], evidence[j]) / z.mixedSpread);
        }
        return fused;
    }

    /**
     * A user's statistics over the cold items: the means and spreads of its model and content scores
     * and the spread of {@code mixed = z(model) + weight * z(content)} (whose mean is 0). Shared with
     * {@link FusionCalibration}, which serves the same fusion.
     */
    record Standardised(double weight, double modelMean, double modelSpread, double evidenceMean,
                        double evidenceSpread, double mixedSpread) {

        /** The statistics, or null when the model's or the content's scores (or their sum) do not vary. */
        static Standardised of(double[] own, double[] evidence, double weight) {
            double evidenceMean = mean(evidence);
            double evidenceSpread = spread(evidence, evidenceMean);
            double modelMean = mean(own);
            double modelSpread = spread(own, modelMean);
            if (!(evidenceSpread > 0) || !(modelSpread > 0)) {
                return null;
            }
            Standardised z = new Standardised(weight, modelMean, modelSpread, evidenceMean, evidenceSpread, 0);
            double square = 0;
            for (int j = 0; j < own.length; j++) {
                double m = z.mixed(own[j], evidence[j]);
                square += m * m;
            }
            double mixedSpread = Math.sqrt(square / own.length);
            return mixedSpread > 0 ? new Standardised(weight, modelMean, modelSpread, evidenceMean, evidenceSpread,
                    mixedSpread) : null;
        }

        double mixed(double own, double evidence) {
            return (own - modelMean) / modelSpread + weight * (evidence - evidenceMean) / evidenceSpread;
        }
    }

    private static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    // The population standard deviation of v about its mean.
    private static double spread(double[] v, double mean) {
        double sq = 0;
        for (double x : v) {
            sq += (x - mean) * (x - mean);
        }
        return Math.sqrt(sq / v.length);
    }
}
