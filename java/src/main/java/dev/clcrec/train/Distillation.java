package dev.clcrec.train;

import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.DistillTerms;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.eval.ModelRanker;
import dev.clcrec.eval.SelectionCriterion;
import dev.clcrec.sampling.ItemSets;
import dev.clcrec.sampling.TrainingPairs;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Teacher-student distillation of the content encoder in the style of ALDI (Huang et al., SIGIR 2023,
 * "Aligning Distillation For Cold-start Item Recommendation"), run after training on the selected
 * model: the model's own id table (users and warm items, frozen) is the teacher, its content encoder
 * the student, so that the encoder's output for a cold item lands where an id embedding would be.
 * Each epoch visits every training pair (u, i) once with a warm negative j the user has not
 * interacted with, in batches, each a native step (clcrec_model_distill_step) whose terms are
 * weighted by the positive's popularity (ALDI's teacher-qualifying weights: a rarely seen item's id
 * embedding is a poor teacher). After each epoch the model is evaluated; the epoch that beats the
 * undistilled model on the run's own selection criterion (validation only) is kept, and after
 * {@code patience} epochs without a better one, or {@code epochs} in all, the encoder is set back to
 * the best epoch's (the undistilled one if none beat it).
 *
 * <p>Why a phase after training rather than an extra term in the fused step: see
 * native/src/distillation.h (ALDI's teacher is a finished model; the fused step and its fixtures
 * stay as they are; one run yields the model before and after).
 */
public final class Distillation {
    private static final System.Logger LOG = System.getLogger(Distillation.class.getName());
    private static final String[] ENCODER = {"encoder_layer1_weight", "encoder_layer1_bias", "encoder_layer2_weight",
            "encoder_layer2_bias"};
    private static final long NEGATIVE_STREAM = 0x5d15_711L;

    private Distillation() {}

    /**
     * What distillation does.
     *
     * @param terms          the terms' weights and the step size (ALDI's: ranking 0.9, identification
     *                       0.05, rating 0.1, supervised 1, learning rate 0.001)
     * @param epochs         most epochs
     * @param patience       epochs without a better selection value before stopping
     * @param batchSize      triples per step (ALDI: 1024)
     * @param popularityCap  ALDI's M: weights are min(tanh(a x freq), tanh(M)) with a = M / (expected freq);
     *                       0 switches the weighting off (every weight 1)
     */
    public record Options(DistillTerms terms, int epochs, int patience, int batchSize, double popularityCap) {
        public Options {
            if (terms == null) {
                throw new IllegalArgumentException("no distillation terms given");
            }
            if (epochs < 1 || patience < 1 || batchSize < 1) {
                throw new IllegalArgumentException("distillation epochs, patience and batch size must be >= 1, got "
                        + epochs + ", " + patience + ", " + batchSize);
            }
            if (!(popularityCap >= 0) || !Double.isFinite(popularityCap)) {
                throw new IllegalArgumentException("distillation popularity cap must be a finite number >= 0, got "
                        + popularityCap);
            }
        }

        /** ALDI's published settings (zfnWong/ALDI's defaults, with its popularity weighting on, M = 4). */
        public static Options aldi(int epochs) {
            return new Options(new DistillTerms(1.0, 0.9, 0.05, 0.1, 0.001), epochs, 3, 1024, 4.0);
        }
    }

    /** One distillation epoch: its mean terms and the evaluation after it. */
    public record Epoch(int epoch, DistillTerms.Values meanTerms, long steps, double selectionValue,
                        double trainSeconds, double evalSeconds, EvalResult eval) {}

    /**
     * What distillation did.
     *
     * @param startValue the undistilled model's selection value
     * @param bestEpoch  the kept epoch (1-based), 0 when none beat the undistilled model
     * @param bestEval   the kept epoch's evaluation, null when none beat the undistilled model
     */
    public record Result(double startValue, int bestEpoch, EvalResult bestEval, List<Epoch> epochs) {
        public Result {
            epochs = List.copyOf(epochs);
        }

        public boolean improved() {
            return bestEpoch > 0;
        }

        public String describe(SelectionCriterion selection) {
            return improved()
                    ? String.format(Locale.ROOT, "distillation: epoch %d of %d kept, %s %.5f -> %.5f", bestEpoch,
                    epochs.size(), selection.describe(), startValue, selection.value(bestEval))
                    : String.format(Locale.ROOT, "distillation: no epoch of %d beat the undistilled model's %s %.5f; "
                    + "the encoder is left as trained", epochs.size(), selection.describe(), startValue);
        }
    }

    /**
     * ALDI's popularity weights of every item: freq_i = sum over the users u of i of 1 / |items of u|
     * (each user spreads one unit over their items), a = M / (numUser / numItem) (the expected freq),
     * w_i = min(tanh(a freq_i), tanh(M)). Items without training users weigh 0.
     */
    public static float[] popularityWeights(ItemSets train, int numItem, double cap) {
        float[] w = new float[numItem];
        if (cap == 0) {
            java.util.Arrays.fill(w, 1f);
            return w;
        }
        double[] freq = new double[numItem];
        for (int u = 0; u < train.numRows(); u++) {
            int n = train.rowEnd(u) - train.rowStart(u);
            for (int p = train.rowStart(u); p < train.rowEnd(u); p++) {
                freq[train.columns()[p]] += 1.0 / n;
            }
        }
        double a = cap / ((double) train.numRows() / numItem);
        double top = Math.tanh(cap);
        for (int i = 0; i < numItem; i++) {
            w[i] = (float) Math.min(Math.tanh(a * freq[i]), top);
        }
        return w;
    }

    /**
     * Distils the model's encoder in place (see the class comment) and returns what happened; the
     * model ends with the best epoch's encoder.
     *
     * @param startValue the undistilled model's value of {@code selection} (epoch 0)
     */
    public static Result run(ClcrecModel model, ItemSets train, int numWarmItem, Evaluator evaluator,
                             SelectionCriterion selection, double startValue, Options options, long seed) {
        TrainingPairs pairs = TrainingPairs.of(train);
        int usable = 0;
        for (int i : pairs.items()) {
            usable += i < numWarmItem ? 1 : 0;
        }
        if (usable == 0 || numWarmItem < 2) {
            LOG.log(Level.WARNING, "distillation skipped: it needs training pairs on at least two warm items");
            return new Result(startValue, 0, null, List.of());
        }
        float[] popularity = popularityWeights(train, Math.toIntExact(model.config().numItem()), options.popularityCap());
        float[][] best = encoder(model); // epoch 0: the undistilled encoder
        double bestValue = startValue;
        int bestEpoch = 0;
        EvalResult bestEval = null;
        int sinceBest = 0;
        List<Epoch> epochs = new ArrayList<>();
        int b = options.batchSize();
        long[] users = new long[b];
        long[] pos = new long[b];
        long[] neg = new long[b];
        float[] weights = new float[b];
        for (int epoch = 1; epoch <= options.epochs() && sinceBest < options.patience(); epoch++) {
            long t0 = System.nanoTime();
            int[] order = pairs.epochOrder(seed ^ NEGATIVE_STREAM, epoch);
            SplittableRandom rng = new SplittableRandom(dev.clcrec.sampling.Seeds.stream(seed, epoch, NEGATIVE_STREAM));
            double[] sums = new double[5];
            long steps = 0;
            int fill = 0;
            for (int k = 0; k <= order.length; k++) {
                if (k < order.length) {
                    int u = pairs.users()[order[k]];
                    int i = pairs.items()[order[k]];
                    if (i >= numWarmItem) {
                        continue;
                    }
                    users[fill] = u;
                    pos[fill] = i;
                    neg[fill] = negative(rng, train, u, numWarmItem);
                    weights[fill] = popularity[i];
                    fill++;
                }
                if (fill == b || (k == order.length && fill > 0)) {
                    DistillTerms.Values v = fill == b
                            ? model.distillStep(users, pos, neg, weights, options.terms())
                            : model.distillStep(java.util.Arrays.copyOf(users, fill), java.util.Arrays.copyOf(pos, fill),
                            java.util.Arrays.copyOf(neg, fill), java.util.Arrays.copyOf(weights, fill), options.terms());
                    sums[0] += v.loss();
                    sums[1] += v.supervised();
                    sums[2] += v.ranking();
                    sums[3] += v.identification();
                    sums[4] += v.rating();
                    steps++;
                    fill = 0;
                }
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            long e0 = System.nanoTime();
            EvalResult eval = evaluator.evaluate(new ModelRanker(model));
            double evalSeconds = (System.nanoTime() - e0) / 1e9;
            double value = selection.value(eval);
            double n = Math.max(1, steps);
            epochs.add(new Epoch(epoch, new DistillTerms.Values(sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n,
                    sums[4] / n), steps, value, trainSeconds, evalSeconds, eval));
            boolean improved = value > bestValue;
            LOG.log(Level.INFO, String.format(Locale.ROOT,
                    "distillation epoch %d: loss %.5f (supervised %.4f, ranking %.4f, identification %.4f, rating %.4f),"
                            + " %s %.5f%s (train %.1fs, eval %.1fs)", epoch, sums[0] / n, sums[1] / n, sums[2] / n,
                    sums[3] / n, sums[4] / n, selection.describe(), value, improved ? " (best)" : "", trainSeconds,
                    evalSeconds));
            if (improved) {
                bestValue = value;
                bestEpoch = epoch;
                bestEval = eval;
                best = encoder(model);
                sinceBest = 0;
            } else {
                sinceBest++;
            }
        }
        boolean lastIsBest = bestEpoch > 0 && bestEpoch == epochs.size();
        if (!lastIsBest) {
            for (int p = 0; p < ENCODER.length; p++) {
                model.setParameter(ENCODER[p], best[p]);
            }
        }
        return new Result(startValue, bestEpoch, bestEval, epochs);
    }

    // Uniform over the warm items the user has no training pair with (a few tries; a user who has
    // nearly every warm item gets any warm item).
    private static int negative(SplittableRandom rng, ItemSets train, int user, int numWarmItem) {
        int j = rng.nextInt(numWarmItem);
        for (int tries = 0; tries < 64 && train.contains(user, j); tries++) {
            j = rng.nextInt(numWarmItem);
        }
        return j;
    }

    private static float[][] encoder(ClcrecModel model) {
        float[][] values = new float[ENCODER.length][];
        for (int p = 0; p < ENCODER.length; p++) {
            values[p] = model.parameter(ENCODER[p]);
        }
        return values;
    }

}
