package dev.clcrec.train;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.engine.ProcessGroup;
import dev.clcrec.engine.StepLosses;
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
 * One rank of a data-parallel test, run as its own JVM by the distributed tests (or in-process with
 * world size 1 as the single-process reference). Trains on the bundled data and, on rank 0, records
 * each step's losses and every parameter after it.
 *
 * <p>Arguments: {@code MODE HOST PORT WORLD RANK TIMEOUT_MS OUT STEPS [sparse]}; MODE is {@code steps} (STEPS
 * steps of epoch 0), {@code forever} (train until killed or until a collective fails) or
 * {@code join} (join the group, pass a barrier, leave). Exit status 3 on a native failure, with its
 * message on stderr.
 */
public final class RankProbe {
    static final int BATCH = 256;
    static final int NUM_NEG = 16;
    static final int THREADS = 1;

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
        try (ProcessGroup group = world == 1 ? null
                : ProcessGroup.join(host, port, world, rank, ProcessGroup.Backend.GLOO, 0, timeout)) {
            System.out.println("joined " + rank);
            System.out.flush();
            if (mode.equals("join")) {
                group.barrier();
                System.out.println("barrier passed");
                return;
            }
            run(DataParallel.over(group).withSparseUpdates(sparse), out,
                    mode.equals("forever") ? Long.MAX_VALUE : steps);
        } catch (dev.clcrec.engine.ClcrecException e) {
            System.err.println("rank " + rank + " failed: " + e.getMessage());
            System.err.flush();
            System.exit(3);
        }
    }

    /** Trains {@code steps} steps (epoch after epoch); rank 0 writes the record to {@code out}. */
    static void run(DataParallel parallel, Path out, long steps) throws IOException, InterruptedException {
        try (Dataset data = Datasets.open(Path.of("test-data"))) {
            ModelConfig config = ModelConfig.defaults(data.numUser(), data.numItem(), data.numWarmItem())
                    .withNumThreads(THREADS).withSeed(1).withDevice(dev.clcrec.engine.Device.CPU);
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
                if (parallel.distributed()) {
                    model.joinGroup(parallel.group());
                }
                model.setSparseUpdates(parallel.sparseUpdates());
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
