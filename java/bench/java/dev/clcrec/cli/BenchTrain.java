package dev.clcrec.cli;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Interactions;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.engine.NativeLibrary;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.eval.ModelRanker;
import dev.clcrec.sampling.Batch;
import dev.clcrec.sampling.BatchFiller;
import dev.clcrec.sampling.BatchPipeline;
import dev.clcrec.sampling.NegativeSampler;
import dev.clcrec.sampling.SamplingConfig;
import dev.clcrec.sampling.TrainingPairs;
import dev.clcrec.train.DataParallel;
import dev.clcrec.train.DatasetViews;
import dev.clcrec.train.SliceStep;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.List;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Training-side benchmarks at the MovieLens shape on generated data: sampler throughput, step time
 * split (Java vs native), epoch time, and the full six-split evaluation time. Run by
 * scripts/bench-train.sh. As one rank of a group ({@code --world-size --rank --master}, started by
 * hand on every rank) it times data-parallel steps exactly as {@code train} takes them (the same
 * global batches, this rank's slice, the gradient all-reduce), and skips the sampler and evaluation.
 */
@Command(name = "bench-train", mixinStandardHelpOptions = true,
        description = "Benchmarks sampling, training steps and evaluation at the MovieLens shape (random data).")
public final class BenchTrain implements Callable<Integer> {
    @Option(names = "--users", defaultValue = "55485") int numUser;
    @Option(names = "--items", defaultValue = "5986") int numItem;
    @Option(names = "--warm", defaultValue = "5119") int numWarm;
    @Option(names = "--train-pairs", defaultValue = "922000") int trainPairs;
    @Option(names = "--heldout-pairs", defaultValue = "160000", description = "val+test interactions") int heldPairs;
    @Option(names = "--dims", split = ",", defaultValue = "2048,128,100") int[] dims;
    @Option(names = "--num_neg", defaultValue = "128") int numNeg;
    @Option(names = "--batch_size", defaultValue = "256") int batchSize;
    @Option(names = "--steps", defaultValue = "40", description = "training steps timed") int steps;
    @Option(names = "--full-epoch", description = "time one whole epoch instead of extrapolating") boolean fullEpoch;
    @Option(names = "--threads", defaultValue = "0") int threads;
    @Option(names = "--workers", defaultValue = "1") int workers;
    @Option(names = "--eval-runs", defaultValue = "3") int evalRuns;
    @Option(names = "--step", defaultValue = "2000", description = "users per top-K call") int evalBlock;
    @Option(names = "--device", defaultValue = "cpu") String device;
    @Mixin DistributedOptions dist;
    @Spec CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchTrain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        if (dist.nproc != 0) {
            throw new ParameterException(spec.commandLine(),
                    "--nproc: bench-train does not launch ranks; start one per rank with --world-size, --rank, --master");
        }
        DistributedOptions.Rank place = dist.resolve(spec, System.getenv());
        NativeLibrary.ensureLoaded();
        try (dev.clcrec.engine.ProcessGroup group = place == null ? null
                : dev.clcrec.engine.ProcessGroup.join(place.host(), place.port(), place.worldSize(), place.rank(),
                        dev.clcrec.engine.ProcessGroup.Backend.GLOO, 0, place.timeout())) {
            DataParallel parallel = dist.dataParallel(group);
            if (parallel.distributed()) {
                out.printf("rank %d of %d%s%s%n", parallel.rank(), parallel.size(),
                        parallel.sparseUpdates() ? ", sparse updates" : "",
                        parallel.rankOrderReduction() ? ", rank-order reduction" : "");
            } else if (parallel.replayRanks() > 1) {
                out.printf("one process replaying %d ranks%s%n", parallel.replayRanks(),
                        parallel.sparseUpdates() ? ", sparse updates" : "");
            }
            return run(out, parallel);
        }
    }

    private int run(PrintWriter out, DataParallel parallel) throws Exception {
        out.printf("LibTorch %s, %d cores visible to the JVM%n", NativeLibrary.torchVersion(),
                Runtime.getRuntime().availableProcessors());
        SplittableRandom r = new SplittableRandom(42);
        Interactions train = randomRows(r, trainPairs, 0, numWarm);
        Map<Split, Map<Setting, Interactions>> held = new EnumMap<>(Split.class);
        held.put(Split.VAL, Dataset.bySetting(randomRows(r, heldPairs / 2, 0, numItem), numWarm, numItem));
        held.put(Split.TEST, Dataset.bySetting(randomRows(r, heldPairs / 2, 0, numItem), numWarm, numItem));
        try (Arena arena = Arena.ofShared()) {
            List<FeatureMatrix> mats = new java.util.ArrayList<>();
            String[] names = {"v", "a", "t"};
            for (int m = 0; m < dims.length; m++) {
                MemorySegment s = arena.allocate(ValueLayout.JAVA_FLOAT, (long) numItem * dims[m]);
                for (long i = 0; i < (long) numItem * dims[m]; i++) {
                    s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) r.nextDouble());
                }
                mats.add(new FeatureMatrix(names[m % 3], s, numItem, dims[m]));
            }
            ContentFeatures content = new ContentFeatures(mats);
            out.printf("data: %d users, %d items (%d warm), %d train pairs, %d held-out, features %s%n", numUser,
                    numItem, numWarm, train.size(), heldPairs, java.util.Arrays.toString(dims));
            var trainSets = DatasetViews.sets(train);
            TrainingPairs pairs = TrainingPairs.of(trainSets);
            SamplingConfig sc = new SamplingConfig(batchSize, numNeg, 0.5, 1, workers, false);
            BatchFiller filler = new BatchFiller(pairs, new NegativeSampler(numWarm, numNeg, trainSets, pairs), sc);
            if (!parallel.distributed()) {
                samplerThroughput(out, filler, arena, sc);
            }
            ModelConfig mc = ModelConfig.defaults(numUser, numItem, numWarm).withLrLambda(0.5).withTempValue(2.0)
                    .withDevice(Device.valueOf(device.toUpperCase(Locale.ROOT))).withNumThreads(threads);
            try (ClcrecModel model = ClcrecModel.create(mc, content)) {
                out.printf("model on %s%n", model.device());
                parallel.prepare(model);
                steps(out, model, filler, parallel);
                if (parallel.distributed()) {
                    return 0; // the evaluation benchmark is a single-process one
                }
                Map<Split, Map<Setting, dev.clcrec.sampling.ItemSets>> h = new EnumMap<>(Split.class);
                held.forEach((s, m) -> {
                    Map<Setting, dev.clcrec.sampling.ItemSets> x = new EnumMap<>(Setting.class);
                    m.forEach((k, v) -> x.put(k, DatasetViews.sets(v)));
                    h.put(s, x);
                });
                try (Evaluator ev = new Evaluator(numItem, numWarm, trainSets, h, new int[] {10, 20}, evalBlock)) {
                    // the evaluator's own (Java) share: blocks, exclusions and metrics around a ranker that does nothing
                    long j0 = System.nanoTime();
                    ev.evaluate((u, n, eo, ei, m, nm, k, o) -> o.fill((byte) 0));
                    out.printf(Locale.ROOT, "evaluation, Java side only (no-op ranker): %.3f s%n", (System.nanoTime() - j0) / 1e9);
                    for (int i = 0; i < evalRuns; i++) {
                        long t0 = System.nanoTime();
                        EvalResult res = ev.evaluate(new ModelRanker(model));
                        double s = (System.nanoTime() - t0) / 1e9;
                        out.printf(Locale.ROOT, "evaluation %d: %.3f s for %d users x %d items, six splits, K=10,20 "
                                + "(val all Recall@10 %.4f)%n", i, s, ev.usersRanked(), numItem,
                                res.selectionRecall(10));
                    }
                }
            }
        }
        return 0;
    }

    private void samplerThroughput(PrintWriter out, BatchFiller filler, Arena arena, SamplingConfig sc) {
        // single thread, filling every batch of an epoch: negative ids per second per core
        int[] order = filler.pairs().epochOrder(1, 0);
        NegativeSampler.Scratch scratch = filler.sampler().newScratch();
        try (BatchPipeline p = new BatchPipeline(new BatchFiller(filler.pairs(), filler.sampler(),
                new SamplingConfig(sc.batchSize(), sc.numNeg(), sc.numSample(), sc.seed(), 0, false)))) {
            Batch[] holder = new Batch[1];
            try {
                p.runEpoch(0, filler.batchesPerEpoch() - 1, b -> holder[0] = b);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Batch b = holder[0];
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                long n = filler.batchesPerEpoch();
                for (long i = 0; i < n; i++) {
                    filler.fill(b, rep, i, order, scratch);
                }
                double s = (System.nanoTime() - t0) / 1e9;
                double ids = (double) filler.pairs().size() * sc.numNeg();
                out.printf(Locale.ROOT, "sampler (1 thread, epoch of %d batches, num_neg %d): %.3f s, %.1f M negative ids/s%n",
                        n, sc.numNeg(), s, ids / s / 1e6);
            }
        }
    }

    private void steps(PrintWriter out, ClcrecModel model, BatchFiller filler, DataParallel parallel)
            throws InterruptedException {
        long total = fullEpoch ? filler.batchesPerEpoch() : Math.min(steps + 5, filler.batchesPerEpoch());
        long[] count = {0};
        long[] nativeNs = {0};
        long[] loopStart = {0};
        long[] waitAtStart = {0};
        SamplingConfig sc = filler.config();
        try (BatchPipeline p = new BatchPipeline(filler);
             SliceStep slicer = new SliceStep(parallel, sc.hybridCount((long) sc.batchSize() * sc.groupSize()))) {
            long cpu0 = processCpuNanos();
            long loop0 = System.nanoTime();
            p.runEpoch(0, filler.batchesPerEpoch() - total, b -> {
                if (count[0] == 5) { // warm-up steps excluded
                    loopStart[0] = System.nanoTime();
                    waitAtStart[0] = p.waitNanos();
                }
                long t0 = System.nanoTime();
                slicer.step(model, b);
                if (count[0] >= 5) {
                    nativeNs[0] += System.nanoTime() - t0;
                }
                count[0]++;
            });
            double wall = (System.nanoTime() - loopStart[0]) / 1e9;
            long timed = count[0] - 5;
            double wait = (p.waitNanos() - waitAtStart[0]) / 1e9;
            double nat = nativeNs[0] / 1e9;
            out.printf(Locale.ROOT, "training: %d steps in %.2f s: %.1f ms/step (native step %.1f ms, waiting for batches %.3f ms, "
                    + "other Java %.3f ms); Java share %.2f%%%n", timed, wall, wall / timed * 1e3, nat / timed * 1e3,
                    wait / timed * 1e3, (wall - nat - wait) / timed * 1e3, (wall - nat) / wall * 100);
            // Where the cores are all busy, the wall-clock split above depends on which thread the
            // scheduler charges the sampler's CPU to; the CPU split does not.
            double loopCpu = (processCpuNanos() - cpu0) / 1e9;
            double samplerCpu = p.workerCpuNanos() / 1e9;
            out.printf(Locale.ROOT, "CPU over the loop (warm-up included): %.2f s in %.2f s of wall time; sampler workers %.3f s "
                    + "(%.3f ms a batch, %.2f%% of the process's CPU)%n", loopCpu, (System.nanoTime() - loop0) / 1e9,
                    samplerCpu, samplerCpu / count[0] * 1e3, samplerCpu / loopCpu * 100);
            out.printf(Locale.ROOT, "epoch (%d steps): %s %.1f s%n", filler.batchesPerEpoch(),
                    fullEpoch ? "measured" : "extrapolated", wall / timed * filler.batchesPerEpoch());
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    // about `pairs` distinct (user, item) pairs with items in [from, to), skewed per user like real logs
    private Interactions randomRows(SplittableRandom r, int pairs, int from, int to) {
        long[] offsets = new long[numUser + 1];
        int[] cols = new int[pairs + numUser];
        int n = 0;
        double mean = (double) pairs / numUser;
        java.util.BitSet seen = new java.util.BitSet(to);
        for (int u = 0; u < numUser; u++) {
            int len = (int) Math.min(to - from - 1, Math.max(1, Math.round(-Math.log(1 - r.nextDouble()) * mean)));
            len = Math.min(len, cols.length - n);
            seen.clear();
            for (int i = 0; i < len; i++) {
                int j;
                do {
                    j = from + r.nextInt(to - from);
                } while (seen.get(j));
                seen.set(j);
            }
            for (int j = seen.nextSetBit(0); j >= 0; j = seen.nextSetBit(j + 1)) {
                cols[n++] = j;
            }
            offsets[u + 1] = n;
        }
        return new Interactions(numUser, offsets, java.util.Arrays.copyOf(cols, n));
    }
}
