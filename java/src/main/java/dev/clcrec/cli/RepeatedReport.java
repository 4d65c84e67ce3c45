package dev.clcrec.cli;

import dev.clcrec.api.RepeatedTraining;
import dev.clcrec.data.Dataset;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.train.EpochRecord;
import dev.clcrec.train.ResultsFiles;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.RunSummaryTable;
import dev.clcrec.train.StopReason;
import dev.clcrec.train.TrainingListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code train --runs N}: the runs through the library, then the mean ± std table and a results JSON
 * holding the summary and each run's own results (each run also writes its own files).
 */
final class RepeatedReport {
    private RepeatedReport() {}

    /** @return false when a run stopped on a non-finite loss or finished no epoch */
    static boolean run(PrintWriter out, Dataset data, ContentFeatures content, RunConfig config, int runs,
                       int parallel, Path outDir, String jsonName, Map<String, Object> settings)
            throws InterruptedException {
        // The same exclusive hold on --out as a single run takes: two repeated trainings must not interleave files.
        try (dev.clcrec.train.OutputLock lock = dev.clcrec.train.OutputLock.acquire(outDir)) {
            return runLocked(out, data, content, config, runs, parallel, outDir, jsonName, settings);
        }
    }

    private static boolean runLocked(PrintWriter out, Dataset data, ContentFeatures content, RunConfig config,
                                     int runs, int parallel, Path outDir, String jsonName,
                                     Map<String, Object> settings) throws InterruptedException {
        var selection = config.options().selection();
        out.printf("dataset %s: %d users, %d items (%d warm, %d cold); %d runs, seeds %d..%d, %d at a time; device %s%n",
                data.name(), data.numUser(), data.numItem(), data.numWarmItem(), data.numItem() - data.numWarmItem(),
                runs, config.model().seed(), config.model().seed() + runs - 1, parallel,
                ClcrecModel.deviceFor(config.model()));
        out.flush();
        RepeatedTraining.Outcome o = RepeatedTraining.run(data, content, config, runs, parallel, outDir,
                seed -> new TrainingListener() {
                    @Override
                    public void onEpoch(EpochRecord r, boolean improved) {
                        synchronized (out) {
                            out.printf(Locale.ROOT, "seed %d epoch %d: loss %.5f  %s %.5f%s%n", seed, r.epoch(),
                                    r.loss(), selection.describe(), selection.value(r.eval()), improved ? " (best)" : "");
                            out.flush();
                        }
                    }

                    @Override
                    public void onStepSizeLowered(long epoch, double stepSize, long restoredEpoch) {
                        synchronized (out) {
                            out.printf(Locale.ROOT, "seed %d epoch %d: --l_r lowered to %.3g%s%n", seed, epoch,
                                    stepSize, restoredEpoch >= 0 ? ", on from epoch " + restoredEpoch : " in place");
                            out.flush();
                        }
                    }
                });
        List<Object> perRun = new ArrayList<>();
        boolean ok = true;
        for (RepeatedTraining.Run r : o.runs()) {
            Map<String, Object> s = new LinkedHashMap<>(settings);
            s.put("seed", r.seed());
            ResultsFiles.writeJson(r.dir().resolve(jsonName), s, selection, r.result(), Map.of());
            ResultsFiles.writeCsv(r.dir().resolve("epochs.csv"), r.result().history());
            TrainReport.writePlot(out, r.dir().resolve("training.png"), r.result(), selection.k());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("seed", r.seed());
            entry.put("dir", r.dir().toString());
            entry.putAll(ResultsFiles.runJson(s, selection, r.result(), Map.of()));
            perRun.add(entry);
            out.printf("seed %d: %s; best epoch %s%n", r.seed(), r.result().message(),
                    r.result().best() == null ? "none" : Long.toString(r.result().best().epoch()));
            ok &= r.result().reason() != StopReason.NON_FINITE_LOSS && r.result().best() != null;
        }
        if (o.summary() != null) {
            out.print(RunSummaryTable.of("mean ± std over " + runs + " runs (seeds " + config.model().seed() + ".."
                    + (config.model().seed() + runs - 1) + "), each at its best epoch on " + selection.describe(),
                    o.summary()));
        } else {
            out.println("no summary: a run finished no epoch");
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("settings", settings);
        root.put("selection", selection.toString());
        root.put("runs", perRun);
        root.put("summary", o.summary());
        Path json = outDir.resolve(jsonName);
        ResultsFiles.writeJson(json, root);
        out.printf("wrote %s and each run's files under %s%n", json, outDir);
        out.flush();
        return ok;
    }
}
