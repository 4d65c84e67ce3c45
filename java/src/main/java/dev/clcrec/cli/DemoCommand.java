package dev.clcrec.cli;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.sampling.NegativeSampler;
import dev.clcrec.sampling.SamplingConfig;
import dev.clcrec.train.DatasetViews;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code demo}: trains on the bundled data within a few minutes and compares with the baselines. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Trains CLCRec on the bundled test-data/ (MovieLens settings lr_lambda 0.5, temp 2; for a dataset",
                "of this size l_r 0.003, num_neg 32, dim_E 32, reg_weight 0.05, num_sample 0.7) for at most --minutes, then prints",
                "val/test x all/warm/cold of the model as served (content evidence on new items, its weight chosen on",
                "validation) next to the model alone and the content-only (item-kNN, content-profile) and random baselines."})
final class DemoCommand implements Callable<Integer> {
    // Chosen on validation Recall@10 (all items) among the settings tried on test-data; see BENCHMARKS.md.
    private static final double REG_WEIGHT = 0.05;
    private static final double NUM_SAMPLE = 0.7;
    @Spec CommandSpec spec;
    @Option(names = "--data_path", defaultValue = "test-data", description = "Dataset (default ${DEFAULT-VALUE}).")
    String dataPath;
    @Option(names = "--minutes", defaultValue = "3", description = "Time budget for training (default ${DEFAULT-VALUE}).")
    double minutes;
    @Option(names = "--num_epoch", defaultValue = "200", description = "Most epochs (default ${DEFAULT-VALUE}).")
    int numEpoch;
    @Option(names = "--num_neg", defaultValue = "32", description = "Negatives per pair (default ${DEFAULT-VALUE}).")
    int numNeg;
    @Option(names = "--l_r", defaultValue = "0.003", description = "Learning rate (default ${DEFAULT-VALUE}; higher than the paper's so a few minutes suffice).")
    double learningRate;
    // 32 rather than the paper's 64: 1,500 users with ~19 training items each overfit a wider table
    // within a few epochs (measured on test-data; see BENCHMARKS.md).
    @Option(names = "--dim_E", defaultValue = "32", description = "Embedding width (default ${DEFAULT-VALUE}).")
    int dimE;
    @Option(names = "--threads", defaultValue = "0", description = "LibTorch threads; 0 = all cores.")
    int threads;
    @Option(names = "--seed", defaultValue = "1", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--out", defaultValue = "out/demo", description = "Output directory (default ${DEFAULT-VALUE}).")
    Path out;
    @Option(names = "--content-fusion", split = ",", paramLabel = "WEIGHT", defaultValue = TrainDefaults.CONTENT_FUSION,
            description = "Candidate weights of content evidence on new items, one chosen on validation after "
                    + "training, as train (default ${DEFAULT-VALUE}; 0 = the model alone).")
    double[] contentFusion;

    @Override
    public Integer call() throws Exception {
        if (!(minutes > 0) || Double.isInfinite(minutes)) {
            throw new ParameterException(spec.commandLine(), "--minutes must be > 0, got " + minutes);
        }
        new FlagChecks(spec).intRange("--num_epoch", numEpoch, 1, Integer.MAX_VALUE)
                .intRange("--num_neg", numNeg, 1, FlagChecks.MAX_NUM_NEG).positiveFinite("--l_r", learningRate)
                .intRange("--dim_E", dimE, 1, FlagChecks.MAX_DIM_E).intRange("--threads", threads, 0, FlagChecks.MAX_THREADS)
                .nonNegativeFinite("--content-fusion", contentFusion);
        Path dir = DataPaths.resolve(spec, dataPath);
        try (Dataset data = Datasets.open(dir)) {
            ModelConfig model = ModelConfig.defaults(1, 1, 1).withDimE(dimE).withLrLambda(0.5).withTempValue(2.0).withRegWeight(REG_WEIGHT)
                    .withLearningRate(learningRate).withDevice(Device.AUTO).withNumThreads(threads).withSeed(seed);
            int neg = Math.min(numNeg, NegativeSampler.fewestCandidates(data.numWarmItem(), DatasetViews.sets(data.train())));
            if (neg < numNeg) {
                spec.commandLine().getOut().printf("num_neg lowered to %d: some user has only that many warm items left%n", neg);
            }
            SamplingConfig sampling = new SamplingConfig(256, neg, NUM_SAMPLE, seed, 1, false);
            Files.createDirectories(out);
            TrainOptions options = new TrainOptions(numEpoch, 7, 10, out.resolve("best.ckpt"), out.resolve("last.ckpt"),
                    minutes * 60);
            RunConfig config = new RunConfig(model, sampling, options, new int[] {10, 20}, 2000, null)
                    .withFusionWeights(contentFusion);
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("data_path", dir.toString());
            settings.put("num_neg", neg);
            settings.put("l_r", learningRate);
            settings.put("dim_E", dimE);
            settings.put("lr_lambda", 0.5);
            settings.put("reg_weight", REG_WEIGHT);
            settings.put("num_sample", NUM_SAMPLE);
            settings.put("temp_value", 2.0);
            settings.put("minutes", minutes);
            settings.put("seed", seed);
            settings.put("content_fusion", contentFusion);
            return TrainReport.run(spec.commandLine().getOut(), data, data.content(), config, out, "", "results.json",
                    settings, Baselines.UNTRAINED) ? 0 : 1;
        }
    }
}
