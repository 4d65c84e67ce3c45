package dev.clcrec.train;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Setting;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.SelectionCriterion;

/**
 * The plain collaborative baseline: our own user-item objective over id embeddings alone. It is
 * CLCRec's training with the content switched off, {@code lr_lambda 0} (no R-E term) and
 * {@code num_sample 0} (no hybrid rows), so the loss is the U-I InfoNCE over user and item id
 * embeddings plus the regulariser, with the same negatives, temperature, learning rate, width and
 * epochs as the model it is compared with. No content reaches the id table, so this is what the
 * interactions alone teach: the bar for warm items, the setting where CLCRec's content terms should
 * cost little. The encoder gets no gradient, so it cannot rank cold items: only the warm setting is
 * reported, and its epoch is chosen on the validation warm setting (same metric and cutoff as the
 * model's selection), never on test.
 */
public final class IdOnlyBaseline {
    private IdOnlyBaseline() {}

    /** The config of the baseline: the model's own, without content terms, checkpoints or resume. */
    public static RunConfig config(RunConfig model) {
        SelectionCriterion s = model.options().selection();
        SelectionCriterion warm = new SelectionCriterion(s.split(), Setting.WARM, s.metric(), s.k());
        TrainOptions options = model.options().withSelection(warm).withCheckpoints(null, null);
        return new RunConfig(model.model().withLrLambda(0), model.sampling().withNumSample(0), options, model.ks(),
                model.evalBlock(), null);
    }

    /** Trains the baseline and returns its metrics at the best epoch, warm setting only (null if no epoch ran). */
    public static EvalResult evaluate(Dataset data, ContentFeatures content, RunConfig model)
            throws InterruptedException {
        TrainingRun.Outcome o = TrainingRun.execute(data, content, config(model), TrainingListener.NONE);
        o.model().close();
        if (o.result().best() == null) {
            return null;
        }
        return new EvalResult(o.result().best().eval().entries().stream()
                .filter(m -> m.setting() == Setting.WARM).toList());
    }
}
