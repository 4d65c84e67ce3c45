package dev.clcrec.cli;

import dev.clcrec.data.Dataset;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.eval.ContentBaseline;
import dev.clcrec.eval.DotProductRanker;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.eval.FusedRanker;
import dev.clcrec.eval.ItemKnnBaseline;
import dev.clcrec.eval.ScoreRanker;
import dev.clcrec.sampling.ItemSets;
import dev.clcrec.train.DatasetViews;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code evaluate --content-fusion}: the model with each content baseline's evidence added (FusedRanker). */
final class ContentFusion {
    private ContentFusion() {}

    /** Rows "CLCRec + content-kNN xW" then "CLCRec + content-profile xW", for each weight in order. */
    static Map<String, EvalResult> evaluate(Dataset data, ContentFeatures content, ClcrecModel model, double[] weights,
                                            int[] ks, int blockSize) {
        ItemSets train = DatasetViews.sets(data.train());
        Map<String, ScoreRanker> baselines = new LinkedHashMap<>();
        baselines.put("content-kNN",
                ItemKnnBaseline.of(content, train, data.numWarmItem(), ItemKnnBaseline.DEFAULT_NEIGHBOURS));
        baselines.put("content-profile", ContentBaseline.ranker(content, train));
        DotProductRanker own = new DotProductRanker(model.userEmbeddings(), model.itemRepresentation(),
                Math.toIntExact(model.config().dimE()));
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
