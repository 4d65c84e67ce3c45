package dev.clcrec.cli;

import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.Recommendations;
import dev.clcrec.api.Recommender;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.engine.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code recommend}: top-K items for users, from a model bundle alone or from a checkpoint over the
 * dataset it was trained on.
 */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = {"Prints the top-K items (never the user's training items) for each --user, as TSV: user, rank,"
                + " item, score, basis.",
                "--model is a bundle folder (<out>/bundle, clcrec export) or a checkpoint; a checkpoint needs --data_path."})
final class RecommendCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = {"--model", "--PATH_weight_load"}, required = true,
            description = "A bundle folder, or a checkpoint (then with --data_path).")
    Path model;
    @Option(names = "--data_path", description = "With a checkpoint: the dataset it was trained on.")
    String dataPath;
    @Option(names = "--has_v", converter = PythonBoolean.class, arity = "1", defaultValue = "True",
            description = "With a checkpoint: visual features were used: True|False (as at training).")
    boolean hasV;
    @Option(names = "--has_a", converter = PythonBoolean.class, arity = "1", defaultValue = "True",
            description = "With a checkpoint: acoustic features were used: True|False.")
    boolean hasA;
    @Option(names = "--has_t", converter = PythonBoolean.class, arity = "1", defaultValue = "True",
            description = "With a checkpoint: textual features were used: True|False.")
    boolean hasT;
    @Option(names = "--threads", defaultValue = "0", description = "LibTorch threads; 0 = all cores.")
    int threads;
    @Option(names = "--no-cuda", description = "Use the CPU even if a GPU is available.")
    boolean noCuda;
    @Option(names = "--user", required = true, split = ",", description = "User ids (the dataset's own ids; dense ids when it has none).")
    List<String> users;
    @Option(names = {"-k", "--topK"}, defaultValue = "10", description = "Items per user (default ${DEFAULT-VALUE}).")
    int k;
    @Option(names = "--only", defaultValue = "all", description = "all, warm or cold (default ${DEFAULT-VALUE}).")
    String only;

    @Override
    public Integer call() {
        ItemFilter filter = switch (only.toLowerCase(Locale.ROOT)) {
            case "all" -> ItemFilter.ALL;
            case "warm" -> ItemFilter.WARM;
            case "cold" -> ItemFilter.COLD;
            default -> throw new ParameterException(spec.commandLine(), "--only '" + only + "': use all, warm or cold");
        };
        FlagChecks checks = new FlagChecks(spec);
        checks.intRange("--threads", threads, 0, FlagChecks.MAX_THREADS);
        checks.intRange("-k/--topK", k, 1, FlagChecks.MAX_K);
        boolean bundle = Files.isDirectory(model);
        if (!bundle && dataPath == null) {
            throw new ParameterException(spec.commandLine(), "--model " + model + " is not a bundle folder; a checkpoint"
                    + " needs --data_path (the dataset it was trained on)");
        }
        if (bundle) {
            try (Recommender rec = Recommender.open(model, noCuda ? Device.CPU : Device.AUTO, threads)) {
                print(rec);
            }
        } else {
            try (Dataset data = Datasets.open(DataPaths.resolve(spec, dataPath));
                 Recommender rec = Recommender.load(model, data, ContentSelection.select(data.content(), hasV, hasA, hasT),
                         noCuda ? Device.CPU : Device.AUTO, threads)) {
                print(rec);
            }
        }
        return 0;
    }

    private void print(Recommender rec) {
        ItemFilter filter = ItemFilter.valueOf(only.toUpperCase(Locale.ROOT));
        var out = spec.commandLine().getOut();
        out.println("user\trank\titem\tscore\tbasis");
        for (String user : users) {
            Recommendations recs = rec.recommendations(user, k, filter);
            String basis = recs.basis().name().toLowerCase(Locale.ROOT);
            for (int i = 0; i < recs.items().size(); i++) {
                out.printf(Locale.ROOT, "%s\t%d\t%s\t%.6f\t%s%n", user, i + 1, recs.items().get(i).itemId(),
                        recs.items().get(i).score(), basis);
            }
        }
        out.flush();
    }
}
