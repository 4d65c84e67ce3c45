package dev.clcrec.train;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.engine.NativeLibrary;
import dev.clcrec.engine.ProcessGroup;
import dev.clcrec.engine.StepLosses;
import dev.clcrec.engine.TestDevice;
import dev.clcrec.sampling.Batch;
import dev.clcrec.sampling.BatchFiller;
import dev.clcrec.sampling.BatchPipeline;
import dev.clcrec.sampling.ItemSets;
import dev.clcrec.sampling.NegativeSampler;
import dev.clcrec.sampling.SamplingConfig;
import dev.clcrec.sampling.TrainingPairs;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One rank of a data-parallel test, run as its own JVM by the distributed tests (or in-process, with
 * no group, as the single-process reference). Trains on the bundled data and, on rank 0, records
 * each step's losses and every parameter after it. Models are on the CPU over Gloo, or on CUDA over
 * NCCL with {@code -Dclcrec.test.device=cuda} (rank r on GPU r modulo the GPUs present).
 *
 * <p>Arguments: {@code MODE HOST PORT WORLD RANK TIMEOUT_MS OUT STEPS [sparse|dense] [eval|-]
 * [ordered|backend] [DIM_E]} ({@code ordered}: rank-order reduction; DIM_E default 64); MODE is
 * {@code steps} (STEPS steps, epoch after epoch), {@code forever} (train until killed or until a
 * collective fails) or {@code join} (join the group, pass a barrier, leave). After {@code steps}, every
 * rank prints {@code digest RANK HEX} of its parameters (replicas must be bit-identical) and, with
 * {@code eval}, the metrics of the sharded evaluation and (rank 0) of the whole one on the same
 * parameters ({@code metric sharded|whole SPLIT/SETTING users=N @K precision recall ndcg hit}).
 * Exit status 3 on a native failure, with its message on stderr.
 *
 * <p>Knobs for investigations (system properties, not used by the tests): {@code probe.lrLambda}
 * (default 1.0), {@code probe.threads} (default 1), {@code probe.perturb=true} (moves one element of the
 * id table by one ulp before training: how far the trajectory itself amplifies a rounding difference).
 */
public final class RankProbe {
    static final int BATCH = 256;
    static final int NUM_NEG = 16;
    static final int THREADS = Integer.getInteger("probe.threads", 1);
    static final int DIM_E = 64;

    private RankProbe() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        int world = Integer.parseInt(args[3]);
        int rank = Integer.parseInt(args[4]);
        Duration timeout = Duration.ofMillis(Long.parseLong(args[5]));
        Path out = Path.of(args[6]);
        int steps = Integer.parseInt(args[7]);
        boolean sparse = args.length > 8 && args[8].equals("sparse");
        boolean eval = args.length > 9 && args[9].equals("eval");
        boolean ordered = args.length > 10 && args[10].equals("ordered");
        int dimE = args.length > 11 ? Integer.parseInt(args[11]) : DIM_E;
        // Always a real group, a group of one too, so that world 1 goes through the backend's collectives.
        try (ProcessGroup group = ProcessGroup.join(host, port, world, rank, backend(), deviceIndex(rank), timeout)) {
            System.out.println("joined " + rank);
            System.out.flush();
            if (mode.equals("join")) {
                group.barrier();
                System.out.println("barrier passed");
                return;
            }
            run(DataParallel.over(group).withSparseUpdates(sparse).withRankOrderReduction(ordered), out,
                    mode.equals("forever") ? Long.MAX_VALUE : steps, eval, dimE);
        } catch (dev.clcrec.engine.ClcrecException e) {
            System.err.println("rank " + rank + " failed: " + e.getMessage());
            System.err.flush();
            System.exit(3);
        }
    }

    /** Gloo for CPU models, NCCL for CUDA ones ({@code -Dclcrec.test.device=cuda}, inherited by the ranks). */
    private static ProcessGroup.Backend backend() {
        return TestDevice.get() == Device.CUDA ? ProcessGroup.Backend.NCCL : ProcessGroup.Backend.GLOO;
    }

    /** One GPU per rank, as NCCL requires; ignored on the CPU. */
    private static int deviceIndex(int rank) {
        return TestDevice.get() == Device.CUDA ? rank % Math.max(1, NativeLibrary.cudaDeviceCount()) : 0;
    }

    /** Trains {@code steps} steps (epoch after epoch); rank 0 writes the record to {@code out}. */
    static void run(DataParallel parallel, Path out, long steps) throws IOException, InterruptedException {
        run(parallel, out, steps, false, DIM_E);
    }

    /** The same, then the digest and, with {@code eval}, the metrics (see the class comment). */
    static void run(DataParallel parallel, Path out, long steps, boolean eval, int dimE)
            throws IOException, InterruptedException {
        try (Dataset data = Datasets.open(Path.of("test-data"))) {
            ModelConfig config = ModelConfig.defaults(data.numUser(), data.numItem(), data.numWarmItem())
                    .withNumThreads(THREADS).withSeed(1).withDevice(TestDevice.get())
                    .withDeviceIndex(deviceIndex(parallel.rank())).withDimE(dimE)
                    .withLrLambda(Double.parseDouble(System.getProperty("probe.lrLambda", "1.0")));
            ItemSets train = DatasetViews.sets(data.train());
            TrainingPairs pairs = TrainingPairs.of(train);
            SamplingConfig sc = new SamplingConfig(BATCH, NUM_NEG, 0.5, 1, 0, false);
            BatchFiller filler = new BatchFiller(pairs,
                    new NegativeSampler(data.numWarmItem(), NUM_NEG, train, pairs), sc);
            try (ClcrecModel model = ClcrecModel.create(config, data.content());
                 BatchPipeline pipeline = new BatchPipeline(filler);
                 SliceStep slicer = new SliceStep(parallel, sc.hybridCount((long) BATCH * sc.groupSize()));
                 OutputStream file = parallel.leader() ? Files.newOutputStream(out) : OutputStream.nullOutputStream();
                 DataOutputStream record = new DataOutputStream(new BufferedOutputStream(file))) {
                parallel.prepare(model);
                if (Boolean.getBoolean("probe.perturb")) {
                    float[] e = model.parameter("id_embedding");
                    e[0] = Math.nextUp(e[0]); // one ulp in one element: the trajectory's sensitivity
                    model.setParameter("id_embedding", e);
                }
                long[] done = {0};
                for (long epoch = 0; done[0] < steps; epoch++) {
                    pipeline.runEpoch(epoch, 0, (Batch batch) -> {
                        if (done[0] >= steps) {
                            return;
                        }
                        StepLosses l = slicer.step(model, batch);
                        done[0]++;
                        if (steps != Long.MAX_VALUE) {
                            write(record, model, l);
                        }
                        System.out.println("step " + done[0]);
                        System.out.flush();
                    });
                }
                System.out.println("digest " + parallel.rank() + " " + digest(model));
                if (eval) {
                    printMetrics("sharded", parallel, data, model, parallel.evalShard());
                    if (parallel.leader()) {
                        printMetrics("whole", parallel, data, model, dev.clcrec.eval.EvalShard.WHOLE);
                    }
                }
            }
        }
    }

    private static String digest(ClcrecModel model) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        for (String name : model.parameterNames()) {
            for (float v : model.parameter(name)) {
                int bits = Float.floatToRawIntBits(v);
                crc.update(new byte[] {(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24)});
            }
        }
        return Long.toHexString(crc.getValue());
    }

    private static void printMetrics(String what, DataParallel parallel, Dataset data, ClcrecModel model,
                                     dev.clcrec.eval.EvalShard shard) {
        try (dev.clcrec.eval.Evaluator ev = DatasetViews.evaluator(data, new int[] {10, 20}, 256, shard)) {
            dev.clcrec.eval.EvalResult r = ev.evaluate(new dev.clcrec.eval.ModelRanker(model));
            if (!parallel.leader()) {
                return;
            }
            for (var m : r.entries()) {
                for (var k : m.atK().entrySet()) {
                    var v = k.getValue();
                    System.out.printf(java.util.Locale.ROOT, "metric %s %s/%s users=%d @%d %.17g %.17g %.17g %.17g%n",
                            what, m.split(), m.setting(), m.usersCounted(), k.getKey(), v.precision(), v.recall(),
                            v.ndcg(), v.hit());
                }
            }
        }
    }

    private static void write(DataOutputStream record, ClcrecModel model, StepLosses l) {
        try {
            record.writeDouble(l.loss());
            record.writeDouble(l.lossRe());
            record.writeDouble(l.lossUi());
            record.writeDouble(l.reg());
            for (String name : model.parameterNames()) {
                float[] p = model.parameter(name);
                record.writeInt(p.length);
                for (float v : p) {
                    record.writeFloat(v);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
