package dev.clcrec.train;

import dev.clcrec.eval.EvalResult;

/**
 * What one epoch did: mean losses over its steps, timings and the evaluation after it.
 *
 * @param epoch 0-based epoch index
 * @param samplerWaitSeconds time the training loop waited for batches (the Java sampling share)
 * @param nativeStepSeconds time inside the native training step
 */
public record EpochRecord(long epoch, double loss, double lossRe, double lossUi, double reg, double mat, long steps,
                          double trainSeconds, double samplerWaitSeconds, double nativeStepSeconds,
                          double evalSeconds, EvalResult eval) {

    /** The same epoch with another evaluation (of the model it became after training: distilled, fused). */
    public EpochRecord withEval(EvalResult e) {
        return new EpochRecord(epoch, loss, lossRe, lossUi, reg, mat, steps, trainSeconds, samplerWaitSeconds,
                nativeStepSeconds, evalSeconds, e);
    }
}
