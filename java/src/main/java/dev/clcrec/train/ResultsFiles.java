package dev.clcrec.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.eval.MetricValues;
import dev.clcrec.eval.SelectionCriterion;
import dev.clcrec.eval.SettingMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a run's results JSON and its per-epoch CSV log. */
public final class ResultsFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsFiles() {}

    /**
     * The results JSON: the settings the run used, why it stopped, the best epoch with its six
     * evaluations, any baselines, and the per-epoch history.
     */
    public static void writeJson(Path file, Map<String, Object> settings, TrainingResult result,
                                 Map<String, ?> baselines) {
        writeJson(file, settings, null, result, baselines);
    }

    /** As above, recording the criterion that chose the best epoch. */
    public static void writeJson(Path file, Map<String, Object> settings, SelectionCriterion selection,
                                 TrainingResult result, Map<String, ?> baselines) {
        writeJson(file, runJson(settings, selection, result, baselines));
    }

    /** The results JSON's content for one run (also nested, per run, in the JSON of repeated runs). */
    public static Map<String, Object> runJson(Map<String, Object> settings, SelectionCriterion selection,
                                              TrainingResult result, Map<String, ?> baselines) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("settings", settings);
        if (selection != null) {
            root.put("selection", selection.toString());
            root.put("best_selection_value", result.best() == null ? null : selection.value(result.best().eval()));
        }
        root.put("stop_reason", result.reason());
        root.put("stop_message", result.message());
        root.put("best", result.best());
        root.put("baselines", baselines);
        root.put("history", result.history());
        if (result.distillation() != null) {
            root.put("distillation", result.distillation());
        }
        if (result.fusion() != null) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("weight", result.fusion().weight());
            f.put("criterion", result.fusion().criterion().toString());
            f.put("tried", result.fusion().tried());
            f.put("model_alone", result.fusion().alone());
            root.put("content_fusion", f);
        }
        return root;
    }

    /** Writes any JSON tree atomically (a temporary file beside it, then a rename). */
    public static void writeJson(Path file, Object root) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), root);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The per-epoch CSV: losses, timings, then every split/setting/metric at every K. */
    public static void writeCsv(Path file, List<EpochRecord> history) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            writeCsvTo(tmp, history);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeCsvTo(Path file, List<EpochRecord> history) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("epoch,loss,loss_re,loss_ui,reg,mat,steps,train_s,sampler_wait_s,native_step_s,eval_s");
            if (history.isEmpty()) {
                w.write('\n');
                return;
            }
            List<SettingMetrics> cols = history.getFirst().eval().entries();
            for (SettingMetrics m : cols) {
                for (int k : m.atK().keySet()) {
                    String p = name(m.split(), m.setting());
                    w.write(String.format(Locale.ROOT, ",%s_precision@%d,%s_recall@%d,%s_ndcg@%d,%s_hit@%d", p, k, p, k,
                            p, k, p, k));
                }
            }
            w.write('\n');
            for (EpochRecord r : history) {
                w.write(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%d,%.3f,%.3f,%.3f,%.3f", r.epoch(),
                        r.loss(), r.lossRe(), r.lossUi(), r.reg(), r.mat(), r.steps(), r.trainSeconds(),
                        r.samplerWaitSeconds(), r.nativeStepSeconds(), r.evalSeconds()));
                for (SettingMetrics m : cols) {
                    for (int k : m.atK().keySet()) {
                        MetricValues v = r.eval().get(m.split(), m.setting()).at(k);
                        // full precision: selection compares exact values, and so can a reader of this file
                        w.write("," + v.precision() + "," + v.recall() + "," + v.ndcg() + "," + v.hit());
                    }
                }
                w.write('\n');
            }
        }
    }

    private static String name(Split split, Setting setting) {
        return split.name().toLowerCase(Locale.ROOT) + "_" + setting.name().toLowerCase(Locale.ROOT);
    }
}
