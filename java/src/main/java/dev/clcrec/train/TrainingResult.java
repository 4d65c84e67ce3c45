package dev.clcrec.train;

import java.util.List;

/**
 * The outcome of training.
 *
 * @param best the selected epoch (best validation Recall@K, all setting), null if no epoch finished;
 *             after a distillation that beat it, its evaluation is the distilled model's
 * @param history every epoch, including those before a resume, as trained (before any distillation)
 * @param message human-readable account of why training stopped
 * @param distillation what the distillation after training did, or null when none ran
 * @param fusion       the content evidence chosen after training (ContentFusionChoice), or null when
 *                     none was tried; the served model fuses at its weight
 */
public record TrainingResult(EpochRecord best, List<EpochRecord> history, StopReason reason, String message,
                             Distillation.Result distillation, ContentFusionChoice.Result fusion) {
    public TrainingResult {
        history = List.copyOf(history);
    }

    public TrainingResult(EpochRecord best, List<EpochRecord> history, StopReason reason, String message) {
        this(best, history, reason, message, null, null);
    }

    public TrainingResult(EpochRecord best, List<EpochRecord> history, StopReason reason, String message,
                          Distillation.Result distillation) {
        this(best, history, reason, message, distillation, null);
    }

    /** The weight the served model gives content evidence on cold items (0 when none was chosen). */
    public double fusionWeight() {
        return fusion == null ? 0 : fusion.weight();
    }

    /**
     * This result with content fusion chosen: the best epoch's evaluation becomes the fused model's
     * (the model as served); the history stays as trained.
     */
    public TrainingResult fused(ContentFusionChoice.Result f) {
        EpochRecord b = best != null && f.weight() > 0 ? best.withEval(f.eval()) : best;
        return new TrainingResult(b, history, reason, message + "; " + f.describe(), distillation, f);
    }

    /**
     * This result after distillation: the best epoch's evaluation becomes the distilled model's when a
     * distilled epoch beat it on validation; the history stays as trained.
     */
    public TrainingResult distilled(Distillation.Result d, String account) {
        EpochRecord b = best != null && d.improved() ? best.withEval(d.bestEval()) : best;
        return new TrainingResult(b, history, reason, message + "; " + account, d, fusion);
    }
}
