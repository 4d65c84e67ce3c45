package dev.clcrec.train;

import dev.clcrec.data.Setting;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.eval.DotProductRanker;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.eval.FusedRanker;
import dev.clcrec.eval.ProfileEvidence;
import dev.clcrec.eval.ScoreRanker;
import dev.clcrec.eval.SelectionCriterion;
import dev.clcrec.sampling.ItemSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chooses, after training, how much content evidence the served model adds to its cold items'
 * scores ({@link FusedRanker}: per user, over the cold items, {@code z(model) + w x z(profile)},
 * mapped back to the model's own cold scores; warm items keep the model's), the profile being the
 * user's mean item in the {@link ProfileEvidence} space. The trained model misses part of what a
 * user's raw content profile says about new items (BENCHMARKS.md, "Content evidence beside the
 * model"), and the weight that recovers it differs from data to data, so each candidate
 * is evaluated on validation and the best kept; ties keep the smaller weight, and 0 (the model alone)
 * is always a candidate.
 *
 * <p>The criterion is the run's own split and metric over cold items, at the largest cutoff
 * evaluated: the evidence only re-orders cold items among themselves, so the cold setting is where
 * it shows, and a deeper cutoff is the steadier measure.
 */
public final class ContentFusionChoice {
    private static final System.Logger LOG = System.getLogger(ContentFusionChoice.class.getName());

    private ContentFusionChoice() {}

    /** One candidate weight and its validation value. */
    public record Candidate(double weight, double value) {}

    /**
     * What the choice found.
     *
     * @param weight    the chosen weight (0: the model ranks alone)
     * @param criterion what the candidates were compared on
     * @param tried     every candidate, in the order tried
     * @param eval      the full evaluation of the model at the chosen weight
     * @param alone     the full evaluation of the model alone (weight 0)
     */
    public record Result(double weight, SelectionCriterion criterion, List<Candidate> tried, EvalResult eval,
                         EvalResult alone) {
        public Result {
            tried = List.copyOf(tried);
        }

        public String describe() {
            StringBuilder s = new StringBuilder("content fusion: weight ")
                    .append(format(weight)).append(" chosen on ").append(criterion.describe()).append(" (");
            for (int i = 0; i < tried.size(); i++) {
                s.append(i == 0 ? "" : ", ").append(format(tried.get(i).weight())).append(": ")
                        .append(String.format(Locale.ROOT, "%.5f", tried.get(i).value()));
            }
            return s.append(')').toString();
        }
    }

    /** The criterion the weights are compared on, for a run that selects epochs on {@code selection}. */
    public static SelectionCriterion criterion(SelectionCriterion selection, int[] cutoffs) {
        int k = selection.k();
        for (int c : cutoffs) {
            k = Math.max(k, c);
        }
        return new SelectionCriterion(selection.split(), Setting.COLD, selection.metric(), k);
    }

    /**
     * Evaluates the model at each weight and keeps the best.
     *
     * @param weights candidates, each finite and at least 0; 0 is added when missing
     */
    public static Result choose(ClcrecModel model, ContentFeatures content, ItemSets train, int numWarmItem,
                                Evaluator evaluator, SelectionCriterion criterion, double[] weights) {
        ScoreRanker own = DotProductRanker.of(model);
        ScoreRanker profile = ProfileEvidence.of(content).ranker(train);
        List<Double> candidates = new ArrayList<>();
        candidates.add(0.0);
        for (double w : weights) { // FusedRanker refuses a negative or infinite one
            if (!candidates.contains(w)) {
                candidates.add(w);
            }
        }
        List<Candidate> tried = new ArrayList<>();
        double bestWeight = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        EvalResult bestEval = null;
        EvalResult alone = null;
        for (double w : candidates) {
            EvalResult r = evaluator.evaluate(new FusedRanker(own, numWarmItem, profile, w));
            if (w == 0) {
                alone = r;
            }
            double v = criterion.value(r);
            tried.add(new Candidate(w, v));
            if (v > bestValue || (v == bestValue && w < bestWeight)) {
                bestValue = v;
                bestWeight = w;
                bestEval = r;
            }
        }
        Result result = new Result(bestWeight, criterion, tried, bestEval, alone);
        LOG.log(System.Logger.Level.INFO, result.describe());
        return result;
    }

    static String format(double w) {
        return w == Math.rint(w) && Math.abs(w) < 1e6 ? Long.toString((long) w) : Double.toString(w);
    }
}
