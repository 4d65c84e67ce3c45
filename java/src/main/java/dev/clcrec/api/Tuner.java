package dev.clcrec.api;

import dev.clcrec.data.Dataset;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.eval.ModelRanker;
import dev.clcrec.train.DatasetViews;
import dev.clcrec.train.RunConfig;
import dev.clcrec.tune.HyperparameterSearch;
import dev.clcrec.tune.Leaderboard;
import dev.clcrec.tune.Trial;
import dev.clcrec.tune.TunePlot;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Hyper-parameter search for a service: tune on validation metrics, then evaluate the chosen
 * configuration's model once on every split (its test metrics are the only ones ever reported) and
 * hand back the configuration to retrain with.
 *
 * <pre>{@code
 * var s = new HyperparameterSearch.Settings(base, SearchSpace.defaults(),
 *         SelectionCriterion.parse("val:cold:recall@10"), 20, 30, 2, 2, 3, 1, Path.of("out/tune"));
 * Tuner.Outcome o = Tuner.tune(data, data.content(), s, null);
 * try (Recommender r = Recommender.train(data, o.bestConfig().orElseThrow(), null)) { ... }
 * }</pre>
 */
public final class Tuner {
    private Tuner() {}

    /**
     * @param leaderboard every trial so far (also on disk in the search's directory)
     * @param best the best completed trial, if any
     * @param bestConfig the training configuration that reproduces it (same seed and threads)
     * @param bestEvaluation its best checkpoint evaluated on val and test
     * @param plot the PNG of the selection value against each hyper-parameter, null if it could not be drawn
     */
    public record Outcome(Leaderboard leaderboard, Optional<Trial> best, Optional<RunConfig> bestConfig,
                          Optional<EvalResult> bestEvaluation, Path bestCheckpoint, Path plot) {}

    public static final String PLOT_NAME = "tune.png";

    public static Outcome tune(Dataset data, ContentFeatures content, HyperparameterSearch.Settings settings,
                               Consumer<Trial> onTrial) throws InterruptedException {
        Leaderboard board = HyperparameterSearch.run(data, content, settings, onTrial);
        Path plot = settings.outDir().resolve(PLOT_NAME);
        try {
            TunePlot.writePng(plot, settings.space(), board.trials(), settings.selection().toString());
        } catch (RuntimeException | LinkageError | InternalError e) {
            System.getLogger(Tuner.class.getName()).log(System.Logger.Level.WARNING,
                    "could not draw " + plot + ": " + e.getMessage());
            plot = null;
        }
        Optional<Trial> best = board.best();
        if (best.isEmpty()) {
            return new Outcome(board, best, Optional.empty(), Optional.empty(), null, plot);
        }
        Map<String, Double> params = best.get().params();
        RunConfig config = HyperparameterSearch.trialConfig(settings, params);
        Path ckpt = HyperparameterSearch.trialDir(settings.outDir(), best.get().index()).resolve("best.ckpt");
        EvalResult eval;
        try (ClcrecModel model = ClcrecModel.load(ckpt, content, config.model().device(), config.model().deviceIndex(),
                config.model().numThreads());
             Evaluator ev = DatasetViews.evaluator(data, config.ks(), config.evalBlock())) {
            eval = ev.evaluate(new ModelRanker(model));
        }
        return new Outcome(board, best, Optional.of(config), Optional.of(eval), ckpt, plot);
    }
}
