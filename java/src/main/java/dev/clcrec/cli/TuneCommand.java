package dev.clcrec.cli;

import dev.clcrec.api.Tuner;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.eval.SelectionCriterion;
import dev.clcrec.train.ResultsFiles;
import dev.clcrec.train.ResultsTable;
import dev.clcrec.train.RunConfig;
import dev.clcrec.tune.HyperparameterSearch;
import dev.clcrec.tune.SearchSpace;
import dev.clcrec.tune.Trial;
import dev.clcrec.tune.TunedParameter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code tune}: a hyper-parameter search through the library ({@link Tuner}); every other flag is a
 * {@code train} flag that each trial trains with. Writes the leaderboard, a plot and
 * {@code best.args}, so that {@code clcrec train @best.args --out DIR} retrains the best trial.
 */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Searches hyper-parameters (seeded random search with successive halving) on a validation "
                + "metric. Every other flag is a train flag the trials share (e.g. --data_path, --num_epoch, "
                + "--patience, --has_v). Resumes from --out's leaderboard.json.",
                "Writes leaderboard.csv/json, tune.png, best.json and best.args (use: clcrec train @best.args)."})
final class TuneCommand implements Callable<Integer> {
    /** Train flags the search sets itself: given among the train flags they would clash. */
    private static final Set<String> OWN = Set.of("--out", "--select-on", "--runs", "--parallel", "--PATH_weight_load",
            "--PATH_weight_save", "--threads");

    @Spec CommandSpec spec;

    @Option(names = "--trials", description = "Trials in all, counting a resumed leaderboard's (default ${DEFAULT-VALUE}).",
            defaultValue = "20")
    int trials;
    @Option(names = "--minutes", description = "Start no trial after this many minutes and cut running ones then; "
            + "0 = no limit (default ${DEFAULT-VALUE}).", defaultValue = "30")
    double minutes;
    @Option(names = "--parallel", description = "Trials at once, at most the cores (default ${DEFAULT-VALUE}).",
            defaultValue = "1")
    int parallel;
    @Option(names = "--threads", description = "LibTorch threads per trial; 0 = the cores shared among the parallel "
            + "trials (default ${DEFAULT-VALUE}).", defaultValue = "0")
    int threads;
    @Option(names = "--select-on", paramLabel = "val:SETTING:METRIC@K", defaultValue = "val:all:recall@10",
            description = "The validation metric to maximise (default ${DEFAULT-VALUE}).")
    String selectOn;
    @Option(names = "--space", description = "JSON file overriding the default search space, e.g. "
            + "{\"l_r\": {\"log_uniform\": [1e-4, 1e-2]}, \"dim_E\": {\"choice\": [32, 64]}, \"temp_value\": 2, "
            + "\"lr_lambda\": null} (a number fixes a value, null leaves it to the train flags).")
    Path space;
    @Option(names = "--min-epochs", description = "Epochs before a trial can be stopped early: the first rung of "
            + "successive halving (default ${DEFAULT-VALUE}).", defaultValue = "2")
    int minEpochs;
    @Option(names = "--eta", description = "Successive halving's reduction factor: one in eta trials passes each "
            + "rung (default ${DEFAULT-VALUE}).", defaultValue = "3")
    int eta;
    @Option(names = "--search-seed", description = "Seed the trials' values are drawn with (default ${DEFAULT-VALUE}; "
            + "every trial trains with the train flags' --seed).", defaultValue = "1")
    long searchSeed;
    @Option(names = "--out", description = "Output directory (default ${DEFAULT-VALUE}).", defaultValue = "out/tune")
    Path out;
    @Unmatched
    List<String> trainArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        SelectionCriterion selection;
        try {
            selection = SelectionCriterion.parse(selectOn);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--select-on " + e.getMessage());
        }
        checkTrainArgs();
        TrainCommand train = parseTrain();
        SearchSpace searched;
        try {
            searched = space == null ? SearchSpace.defaults() : SearchSpace.withOverrides(space);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--space " + e.getMessage());
        }
        for (var p : searched.params()) {
            if (trainArgs.stream().anyMatch(a -> a.equals("--" + p.name()) || a.startsWith("--" + p.name() + "="))) {
                throw new ParameterException(spec.commandLine(), "--" + p.name() + " is searched; leave it out of the "
                        + "train flags, or fix it in --space (e.g. {\"" + p.name() + "\": 0.5})");
            }
        }
        train.runConfig(); // the train flags' own errors first, before the dataset is read
        PrintWriter pw = spec.commandLine().getOut();
        Path dir = DataPaths.resolve(train.spec, train.dataPath);
        try (Dataset data = Datasets.open(dir)) {
            ContentFeatures content = ContentSelection.select(data.content(), train.hasV, train.hasA, train.hasT);
            String chosen = train.applyContentDefaults(content); // as train does: best.args retrains what was tuned
            if (chosen != null) {
                pw.println(chosen);
            }
            RunConfig base = train.runConfig();
            base = base.withModel(base.model().withNumThreads(threads));
            HyperparameterSearch.Settings settings;
            try {
                settings = new HyperparameterSearch.Settings(base, searched, selection, trials, minutes, parallel,
                        minEpochs, eta, searchSeed, out);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage() + " (see --trials, --minutes, "
                        + "--parallel, --select-on, --min-epochs, --eta)");
            }
            pw.printf("tuning on %s (%s): up to %d trials, %s, %d at a time, %d threads each; out %s%n",
                    selection.describe(), data.name(), trials, minutes > 0 ? minutes + " minutes" : "no time limit",
                    parallel, settings.threadsPerTrial(), out);
            pw.flush();
            Tuner.Outcome o = Tuner.tune(data, content, settings, t -> {
                synchronized (pw) {
                    pw.printf(Locale.ROOT, "trial %d %s: %s %s, %d epochs (%.0f s) %s%n", t.index(),
                            t.status().name().toLowerCase(Locale.ROOT), selection,
                            t.value() == null ? "-" : String.format(Locale.ROOT, "%.5f", t.value()), t.epochs(),
                            t.seconds(), t.params());
                    pw.flush();
                }
            });
            pw.printf("%d trials on the leaderboard %s%n", o.leaderboard().trials().size(),
                    out.resolve(dev.clcrec.tune.Leaderboard.CSV_NAME));
            if (o.best().isEmpty()) {
                pw.println("no trial completed; nothing to recommend (see the leaderboard's messages)");
                return 1;
            }
            Trial best = o.best().get();
            Path args = out.resolve("best.args");
            writeArgFile(args, best, selection, settings.threadsPerTrial(), train.chosenForContent());
            pw.printf(Locale.ROOT, "best: trial %d, %s %.5f at epoch %d, %s%n", best.index(), selection, best.value(),
                    best.bestEpoch(), best.params());
            pw.print(ResultsTable.of("the best trial's model (the only test metrics this search shows):",
                    o.bestEvaluation().orElseThrow()));
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("selection", selection.toString());
            root.put("best_trial", best);
            root.put("train_args", argFileLines(best, selection, settings.threadsPerTrial(), train.chosenForContent()));
            root.put("evaluation", o.bestEvaluation().orElseThrow());
            ResultsFiles.writeJson(out.resolve("best.json"), root);
            pw.printf("wrote %s, %s%s; retrain with: clcrec train @%s --out DIR%n", args, out.resolve("best.json"),
                    o.plot() == null ? "" : ", " + o.plot(), args);
            pw.flush();
            return 0;
        }
    }

    private void checkTrainArgs() {
        for (String a : trainArgs) {
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (OWN.contains(name)) {
                throw new ParameterException(spec.commandLine(), name + " is set by tune itself here; "
                        + "see clcrec tune --help");
            }
        }
    }

    private TrainCommand parseTrain() {
        TrainCommand t = new TrainCommand();
        CommandLine cl = new CommandLine(t);
        List<String> args = new ArrayList<>(trainArgs);
        args.add("--select-on=" + selectOn); // so the trials evaluate the cutoffs train @best.args will
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (ParameterException e) {
            throw new ParameterException(spec.commandLine(), "train flag: " + e.getMessage());
        }
        return t;
    }

    /**
     * The train flags, then the search's own, then the defaults the content chose that the search did
     * not vary (the trial's values below may include --l_r, which would change what train chooses),
     * then the trial's values: what {@code train @file} reads.
     */
    List<String> argFileLines(Trial best, SelectionCriterion selection, int trialThreads,
                              Map<String, String> contentDefaults) {
        List<String> lines = new ArrayList<>(trainArgs);
        lines.add("--select-on=" + selection);
        lines.add("--threads=" + trialThreads);
        contentDefaults.forEach((flag, value) -> {
            if (!best.params().containsKey(flag.substring(2))) {
                lines.add(flag + "=" + value);
            }
        });
        best.params().forEach((name, v) -> lines.add("--" + name + "=" + TunedParameter.of(name).format(v)));
        return lines;
    }

    private void writeArgFile(Path file, Trial best, SelectionCriterion selection, int trialThreads,
                              Map<String, String> contentDefaults) {
        StringBuilder sb = new StringBuilder();
        sb.append("# clcrec tune: trial ").append(best.index()).append(", ").append(selection).append(' ')
                .append(best.value()).append(" at epoch ").append(best.bestEpoch()).append('\n');
        for (String a : argFileLines(best, selection, trialThreads, contentDefaults)) {
            sb.append(quote(a)).append('\n');
        }
        ArgFiles.writeAtomically(file, sb.toString());
    }

    /** Picocli's @-file syntax: whitespace, quotes and '#' need a quoted token with \ escapes. */
    static String quote(String a) {
        if (!a.isEmpty() && a.chars().noneMatch(c -> Character.isWhitespace(c) || c == '#' || c == '"' || c == '\''
                || c == '\\')) {
            return a;
        }
        return '"' + a.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
