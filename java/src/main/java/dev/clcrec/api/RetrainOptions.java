package dev.clcrec.api;

import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.eval.Metric;
import dev.clcrec.eval.SelectionCriterion;
import java.time.Duration;
import java.util.Objects;

/**
 * How a serving {@link Recommender} retrains itself over what it recorded (see {@link Retrainer}).
 *
 * @param every            retrain on a schedule this often (null: only when asked)
 * @param minInteractions  a retrain (scheduled or asked for) is skipped with fewer new interactions
 *                         than this (interactions recorded while serving and not yet trained on)
 * @param trainThreads     LibTorch threads of the training (the serving threads are not touched)
 * @param init             where the candidate starts: the serving model's parameters or a fresh model
 * @param tolerance        the gate swaps the candidate in unless its holdout value is below the serving
 *                         model's by more than this (absolute, in the metric's units)
 * @param selection        the gate's metric ({@code --select-on} syntax; the split part is ignored, the
 *                         gate has one holdout: the newest interactions)
 * @param holdoutShare     the newest share of the new interactions (by timestamp) held out for the gate
 * @param epochs           training epochs of a retrain (a fixed budget: the holdout belongs to the gate,
 *                         so nothing is selected on it)
 * @param keep             bundles kept for rollback (the one in force and the K-1 before it)
 * @param batchSize        training pairs per step
 * @param numNeg           negatives per training pair
 * @param seed             seed of the initialisation of new rows and of sampling
 */
public record RetrainOptions(Duration every, long minInteractions, int trainThreads, Init init, double tolerance,
                             SelectionCriterion selection, double holdoutShare, int epochs, int keep, int batchSize,
                             int numNeg, long seed) {
    /** Where a candidate's parameters start. */
    public enum Init {
        /** The serving model's parameters; rows for new users and items initialised as the model does. */
        WARM,
        /** A freshly initialised model. */
        SCRATCH
    }

    public RetrainOptions {
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(selection, "selection");
        if (every != null && (every.isNegative() || every.isZero())) {
            throw new IllegalArgumentException("retrain interval must be positive, got " + every);
        }
        if (minInteractions < 0 || trainThreads < 0 || epochs < 0 || keep < 1 || batchSize < 1 || numNeg < 1) {
            throw new IllegalArgumentException("minInteractions, trainThreads and epochs must be >= 0, keep, "
                    + "batchSize and numNeg >= 1");
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("retrain tolerance must be a finite number >= 0, got " + tolerance);
        }
        if (!(holdoutShare > 0 && holdoutShare < 1)) {
            throw new IllegalArgumentException("holdout share must be in (0, 1), got " + holdoutShare);
        }
    }

    /**
     * No schedule, at least one new interaction, one training thread, warm start, tolerance 0, the gate
     * on Recall@10 over all items, the newest 20% held out, 10 epochs, 3 bundles kept.
     */
    public static RetrainOptions defaults() {
        return new RetrainOptions(null, 1, 1, Init.WARM, 0.0,
                new SelectionCriterion(Split.VAL, Setting.ALL, Metric.RECALL, 10), 0.2, 10, 3, 256, 128, 1);
    }

    public RetrainOptions withEvery(Duration v) {
        return new RetrainOptions(v, minInteractions, trainThreads, init, tolerance, selection, holdoutShare, epochs,
                keep, batchSize, numNeg, seed);
    }

    public RetrainOptions withMinInteractions(long v) {
        return new RetrainOptions(every, v, trainThreads, init, tolerance, selection, holdoutShare, epochs, keep,
                batchSize, numNeg, seed);
    }

    public RetrainOptions withTrainThreads(int v) {
        return new RetrainOptions(every, minInteractions, v, init, tolerance, selection, holdoutShare, epochs, keep,
                batchSize, numNeg, seed);
    }

    public RetrainOptions withInit(Init v) {
        return new RetrainOptions(every, minInteractions, trainThreads, v, tolerance, selection, holdoutShare, epochs,
                keep, batchSize, numNeg, seed);
    }

    public RetrainOptions withTolerance(double v) {
        return new RetrainOptions(every, minInteractions, trainThreads, init, v, selection, holdoutShare, epochs, keep,
                batchSize, numNeg, seed);
    }

    public RetrainOptions withSelection(SelectionCriterion v) {
        return new RetrainOptions(every, minInteractions, trainThreads, init, tolerance, v, holdoutShare, epochs, keep,
                batchSize, numNeg, seed);
    }

    public RetrainOptions withHoldoutShare(double v) {
        return new RetrainOptions(every, minInteractions, trainThreads, init, tolerance, selection, v, epochs, keep,
                batchSize, numNeg, seed);
    }

    public RetrainOptions withEpochs(int v) {
        return new RetrainOptions(every, minInteractions, trainThreads, init, tolerance, selection, holdoutShare, v,
                keep, batchSize, numNeg, seed);
    }

    public RetrainOptions withKeep(int v) {
        return new RetrainOptions(every, minInteractions, trainThreads, init, tolerance, selection, holdoutShare,
                epochs, v, batchSize, numNeg, seed);
    }

    public RetrainOptions withSampling(int batch, int negatives) {
        return new RetrainOptions(every, minInteractions, trainThreads, init, tolerance, selection, holdoutShare,
                epochs, keep, batch, negatives, seed);
    }
}
