package dev.clcrec.cli;

import dev.clcrec.data.Dataset;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.eval.DotProductRanker;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.eval.FusedRanker;
import dev.clcrec.eval.ScoreRanker;
import dev.clcrec.train.DatasetViews;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code evaluate --content-fusion}: the model with each content baseline's evidence added (FusedRanker). */
final class ContentFusion {
    private ContentFusion() {}

    /**
     * Rows "CLCRec + NAME xW" for each content baseline (TrainReport.contentBaselines, in its order) and
     * each weight in order.
     */
    static Map<String, EvalResult> evaluate(Dataset data, ClcrecModel model, Map<String, ScoreRanker> baselines,
                                            double[] weights, int[] ks, int blockSize) {
        DotProductRanker own = DotProductRanker.of(model);
        Map<String, EvalResult> rows = new LinkedHashMap<>();
        try (Evaluator evaluator = DatasetViews.evaluator(data, ks, blockSize)) {
            baselines.forEach((name, baseline) -> {
                for (double w : weights) {
                    rows.put(String.format(Locale.ROOT, "CLCRec + %s x%s", name, w),
                            evaluator.evaluate(new FusedRanker(own, data.numWarmItem(), baseline, w)));
                }
            });
        }
        return rows;
    }
}
