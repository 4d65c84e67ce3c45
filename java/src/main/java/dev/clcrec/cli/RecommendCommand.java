package dev.clcrec.cli;

import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.Recommendation;
import dev.clcrec.api.Recommender;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recommend}: top-K items for users given in the dataset's own ids. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Prints the top-K items (never the user's training items) for each --user, as TSV: user, rank, item, score.")
final class RecommendCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOptions m;
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
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--only '" + only + "': use all, warm or cold");
        };
        m.check(spec);
        new FlagChecks(spec).intRange("-k/--topK", k, 1, FlagChecks.MAX_K);
        try (Dataset data = Datasets.open(DataPaths.resolve(spec, m.dataPath));
             Recommender rec = Recommender.load(m.model, data,
                     ContentSelection.select(data.content(), m.hasV, m.hasA, m.hasT), m.device(), m.threads)) {
            var out = spec.commandLine().getOut();
            out.println("user\trank\titem\tscore");
            for (String user : users) {
                List<Recommendation> recs = rec.recommend(user, k, filter);
                for (int i = 0; i < recs.size(); i++) {
                    out.printf(Locale.ROOT, "%s\t%d\t%s\t%.6f%n", user, i + 1, recs.get(i).itemId(), recs.get(i).score());
                }
            }
            out.flush();
            return 0;
        }
    }
}
