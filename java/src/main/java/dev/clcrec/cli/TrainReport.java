package dev.clcrec.cli;

import dev.clcrec.api.Recommender;
import dev.clcrec.data.Dataset;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.eval.BaselineWarnings;
import dev.clcrec.eval.ContentBaseline;
import dev.clcrec.eval.ItemKnnBaseline;
import dev.clcrec.sampling.ItemSets;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.eval.RandomRanker;
import dev.clcrec.eval.ScoreRanker;
import dev.clcrec.train.DatasetViews;
import dev.clcrec.train.IdOnlyBaseline;
import dev.clcrec.train.ResultsFiles;
import dev.clcrec.train.ResultsTable;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.StopReason;
import dev.clcrec.train.TrainingPlot;
import dev.clcrec.train.TrainingResult;
import dev.clcrec.train.TrainingRun;
import dev.clcrec.train.DataParallel;
import dev.clcrec.train.TrainingListener;
import dev.clcrec.engine.CheckpointFile;
import dev.clcrec.train.OutputLock;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Trains, then prints the results table and writes results.json, epochs.csv and training.png. */
final class TrainReport {
    private TrainReport() {}

    /** @return false when training stopped on a non-finite loss */
    static boolean run(PrintWriter out, Dataset data, ContentFeatures content, RunConfig config, Path outDir,
                       String prefix, String jsonName, Map<String, Object> settings, Baselines baselines)
            throws InterruptedException {
        return run(out, data, content, config, outDir, prefix, jsonName, settings, baselines, DataParallel.SINGLE);
    }

    /** Only rank 0 prints and writes (holding the output folder); the other ranks train their share and report nothing. */
    static boolean run(PrintWriter out, Dataset data, ContentFeatures content, RunConfig config, Path outDir,
                       String prefix, String jsonName, Map<String, Object> settings, Baselines baselines,
                       DataParallel parallel) throws InterruptedException {
        if (!parallel.leader()) {
            TrainingRun.Outcome o = TrainingRun.execute(data, content, config, TrainingListener.NONE, parallel);
            o.model().close();
            return o.result().reason() != StopReason.NON_FINITE_LOSS;
        }
        try (OutputLock lock = OutputLock.acquire(outDir)) {
            // Holding the folder, any temporary file beside our checkpoints is a killed run's leftover.
            for (Path ckpt : new Path[] {config.options().bestCheckpoint(), config.options().lastCheckpoint()}) {
                if (ckpt != null) {
                    CheckpointFile.removeStaleTemporaries(ckpt);
                }
            }
            return runLocked(out, data, content, config, outDir, prefix, jsonName, settings, baselines, parallel);
        }
    }

    private static boolean runLocked(PrintWriter out, Dataset data, ContentFeatures content, RunConfig config,
                                     Path outDir, String prefix, String jsonName, Map<String, Object> settings,
                                     Baselines baselines, DataParallel parallel) throws InterruptedException {
        int k = config.options().selectionK();
        out.printf("dataset %s: %d users, %d items (%d warm, %d cold), %d training pairs; device %s%n", data.name(),
                data.numUser(), data.numItem(), data.numWarmItem(), data.numItem() - data.numWarmItem(),
                data.train().size(), ClcrecModel.deviceFor(config.model()));
        out.flush();
        ConsoleProgress progress = new ConsoleProgress(out, System.console() != null, data.train().size(), k);
        if (parallel.distributed()) {
            out.printf("data-parallel: %d ranks, global batch %d pairs split into contiguous slices%n",
                    parallel.size(), config.sampling().batchSize());
        }
        try (Recommender rec = Recommender.train(data, content, config, progress, parallel)) {
            var result = rec.training().orElseThrow();
            out.println();
            out.println(result.message());
            Map<String, EvalResult> table = new LinkedHashMap<>();
            if (result.best() != null) {
                table.put("CLCRec", result.best().eval());
                if (result.fusionWeight() > 0) { // "CLCRec" is the model as served: with content evidence
                    table.put("CLCRec alone", result.fusion().alone());
                }
            }
            Map<String, EvalResult> base = baselines == Baselines.NONE ? Map.of()
                    : baselines(data, content, config, baselines == Baselines.ALL);
            table.putAll(base);
            if (!table.isEmpty()) {
                String title = result.best() == null ? "" : "best epoch " + result.best().epoch() + " of "
                        + result.history().size() + " (selected on " + config.options().selection().describe() + ")";
                out.print(ResultsTable.compare(title, table));
                if (result.best() != null) {
                    BaselineWarnings.of("CLCRec", result.best().eval(), base).forEach(out::println);
                }
                out.flush();
            }
            Path json = outDir.resolve(prefix + jsonName);
            ResultsFiles.writeJson(json, settings, config.options().selection(), result, base);
            ResultsFiles.writeCsv(outDir.resolve(prefix + "epochs.csv"), result.history());
            Path png = outDir.resolve(prefix + "training.png");
            String plotted = writePlot(out, png, result, k) ? ", " + png : "";
            Path best = config.options().bestCheckpoint();
            String bundled = "";
            if (result.best() != null) { // the servable model: see Recommender.open
                Path bundle = outDir.resolve(prefix + "bundle");
                rec.saveBundle(bundle);
                bundled = ", bundle " + bundle;
            }
            out.printf("wrote %s, %s%s%s%s%n", json, outDir.resolve(prefix + "epochs.csv"), plotted,
                    best != null && Files.isRegularFile(best) ? "; best model: " + best : "; no model was saved",
                    bundled);
            out.flush();
            return result.reason() != StopReason.NON_FINITE_LOSS;
        }
    }

    // The plot is a convenience: a machine without fonts or without java.desktop (a trimmed runtime)
    // cannot draw it, and that must not cost the user the results already computed.
    static boolean writePlot(PrintWriter out, Path png, TrainingResult result, int k) {
        try {
            TrainingPlot.writePng(png, result.history(), k);
            return true;
        } catch (RuntimeException | LinkageError | InternalError e) {
            out.printf("warning: could not draw %s (%s); the results above and the JSON/CSV files are complete%n",
                    png, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return false;
        }
    }

    /**
     * The content-only baselines (no training), a random ranking and, with {@code trainIdOnly}, the
     * id-only collaborative model trained with the model's own flags (warm setting only; see
     * IdOnlyBaseline).
     */
    static Map<String, EvalResult> baselines(Dataset data, ContentFeatures content, RunConfig config,
                                             boolean trainIdOnly) throws InterruptedException {
        return baselines(data, content, contentBaselines(data, content), config, trainIdOnly);
    }

    /** {@link #baselines(Dataset, ContentFeatures, RunConfig, boolean)} over content baselines already built. */
    static Map<String, EvalResult> baselines(Dataset data, ContentFeatures content,
                                             Map<String, ScoreRanker> contentBaselines, RunConfig config,
                                             boolean trainIdOnly) throws InterruptedException {
        Map<String, EvalResult> m = new LinkedHashMap<>();
        if (trainIdOnly) {
            EvalResult idOnly = IdOnlyBaseline.evaluate(data, content, config);
            if (idOnly != null) {
                m.put("id-only", idOnly);
            }
        }
        try (Evaluator ev = DatasetViews.evaluator(data, config.ks(), config.evalBlock())) {
            contentBaselines.forEach((name, ranker) -> m.put(name, ev.evaluate(ranker)));
            m.put("random", ev.evaluate(new RandomRanker(data.numItem(), config.sampling().seed())));
        }
        return m;
    }

    /**
     * The content-only baselines by name, content-kNN then content-profile (none when the content has
     * no columns, as word-level text alone): built once, since content-kNN compares every item with
     * every warm item.
     */
    static Map<String, ScoreRanker> contentBaselines(Dataset data, ContentFeatures content) {
        Map<String, ScoreRanker> m = new LinkedHashMap<>();
        if (!content.modalities().isEmpty()) {
            ItemSets train = DatasetViews.sets(data.train());
            m.put("content-kNN",
                    ItemKnnBaseline.of(content, train, data.numWarmItem(), ItemKnnBaseline.DEFAULT_NEIGHBOURS));
            m.put("content-profile", ContentBaseline.ranker(content, train));
        }
        return m;
    }
}
