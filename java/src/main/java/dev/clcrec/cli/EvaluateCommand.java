package dev.clcrec.cli;

import dev.clcrec.api.Recommender;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.ScoreRanker;
import dev.clcrec.sampling.SamplingConfig;
import dev.clcrec.train.ResultsTable;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.TrainOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code evaluate}: full-ranking metrics of a checkpoint on val and test x all/warm/cold. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluates a checkpoint: Precision/Recall/NDCG@K for val and test x all/warm/cold.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOptions m;
    @Option(names = "--ks", split = ",", defaultValue = "10,20", description = "Cutoffs (default ${DEFAULT-VALUE}).")
    int[] ks;
    @Option(names = "--step", defaultValue = "2000", description = "Users per ranking block.")
    int step;
    @Option(names = "--baselines", description = "Also evaluate the content-only and random baselines.")
    boolean baselines;
    @Option(names = "--content-fusion", split = ",", paramLabel = "WEIGHT",
            description = {"Also evaluate the model with each content baseline's evidence on new items at these "
                    + "weights: per user, over the cold items, z(model) + WEIGHT x z(baseline) mapped back to the "
                    + "model's mean and spread there; warm items keep the model's scores. Rows 'CLCRec + content-kNN "
                    + "xW' and 'CLCRec + content-profile xW'. Measures what the baselines know that the model misses "
                    + "(a model trained with train --content-fusion is served with the content-profile evidence at "
                    + "the weight chosen then; a checkpoint evaluated here is the model alone)."})
    double[] contentFusion;

    @Override
    public Integer call() throws InterruptedException {
        m.check(spec);
        new FlagChecks(spec).eachInRange("--ks", ks, 1, FlagChecks.MAX_K).intRange("--step", step, 1, Integer.MAX_VALUE)
                .nonNegativeFinite("--content-fusion", contentFusion);
        try (Dataset data = Datasets.open(DataPaths.resolve(spec, m.dataPath))) {
            ContentFeatures content = ContentSelection.select(data.content(), m.hasV, m.hasA, m.hasT);
            if (contentFusion != null && content.modalities().isEmpty()) {
                throw new ParameterException(spec.commandLine(),
                        "--content-fusion compares items by their content columns, and the selected content has none "
                                + "(word-level text only)");
            }
            // Built once for both flags: content-kNN compares every item with every warm item.
            Map<String, ScoreRanker> contentBaselines = contentFusion != null || baselines
                    ? TrainReport.contentBaselines(data, content) : Map.of();
            Map<String, EvalResult> table = new LinkedHashMap<>();
            long t0 = System.nanoTime();
            try (Recommender rec = Recommender.load(m.model, data, content, m.device(), m.threads)) {
                table.put("CLCRec", rec.evaluate(ks, step));
                if (contentFusion != null) {
                    table.putAll(ContentFusion.evaluate(data, rec.model(), contentBaselines, contentFusion, ks, step));
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (baselines) {
                RunConfig cfg = new RunConfig(dev.clcrec.engine.ModelConfig.defaults(1, 1, 1),
                        new SamplingConfig(1, 0, 0, 1, 0, false), new TrainOptions(0, 1, ks[0], null, null, 0), ks,
                        step, null);
                table.putAll(TrainReport.baselines(data, content, contentBaselines, cfg, false));
            }
            var out = spec.commandLine().getOut();
            out.print(ResultsTable.compare(m.model + " on " + data.name()
                    + String.format(java.util.Locale.ROOT, " (loaded and evaluated in %.2f s)", seconds), table));
            out.flush();
            return 0;
        }
    }
}
