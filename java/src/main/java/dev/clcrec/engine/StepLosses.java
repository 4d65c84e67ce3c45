package dev.clcrec.engine;

/**
 * Losses of one training step (or of a no-gradient evaluation of a batch).
 *
 * @param loss   lrLambda * lossRe + (1 - lrLambda) * lossUi + regWeight * reg
 * @param lossRe representation-embedding contrastive loss
 * @param lossUi user-item contrastive loss
 * @param reg    unweighted embedding-norm regulariser
 * @param mat    mean over groups of 1 - softmax probability of the positive (U-I), as the reference logs
 */
public record StepLosses(double loss, double lossRe, double lossUi, double reg, double mat) {}
