package dev.clcrec.engine.bench;

import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.engine.NativeLibrary;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times clcrec_model_train_step on random data of a given shape, by default the MovieLens shape of
 * the paper (55,485 users, 5,986 items of which 5,119 warm, features 2048+128+100, batch 256, 128
 * negatives, dim 64, num_sample 0.5), with every batch generated before timing starts. Reports the
 * median step, the share of the loop's wall time spent in Java rather than inside the downcall, and
 * the peak RSS.
 *
 * <p>Usage: StepBenchmark [steps=40] [warmup=5] [threads=0] [device=CPU] [users items warm widths
 * batch num_neg], widths comma-separated (e.g. {@code 943 1682 1346 19,10,64 256 128} for
 * MovieLens-100K).
 */
public final class StepBenchmark {
    private static final String[] DEFAULT_SHAPE = {"55485", "5986", "5119", "2048,128,100", "256", "128"};
    static final double NUM_SAMPLE = 0.5;
    static final int DISTINCT_BATCHES = 16;

    private StepBenchmark() {}

    public static void main(String[] args) throws IOException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Device device = args.length > 3 ? Device.valueOf(args[3]) : Device.CPU;
        String[] shape = DEFAULT_SHAPE.clone();
        if (args.length > 4 && args.length != 4 + shape.length) {
            throw new IllegalArgumentException("give all six shape arguments (users items warm widths batch num_neg)"
                    + " or none; got " + (args.length - 4));
        }
        System.arraycopy(args, 4, shape, 0, Math.max(0, args.length - 4));
        long numUser = positive(shape[0], "users");
        long numItem = positive(shape[1], "items");
        long numWarm = positive(shape[2], "warm");
        long[] widths = Arrays.stream(shape[3].split(",")).mapToLong(w -> positive(w, "widths")).toArray();
        int batch = Math.toIntExact(positive(shape[4], "batch"));
        int numNeg = Math.toIntExact(positive(shape[5], "num_neg"));
        if (numWarm > numItem || widths.length > 3) {
            throw new IllegalArgumentException("warm must be at most items, and at most three widths");
        }
        NativeLibrary.ensureLoaded();

        SplittableRandom random = new SplittableRandom(1);
        try (Arena arena = Arena.ofShared()) {
            List<FeatureMatrix> modalities = RandomInputs.content(arena, random, numItem, widths);
            ModelConfig config = ModelConfig.defaults(numUser, numItem, numWarm)
                    .withTempValue(2.0).withLrLambda(0.5).withRegWeight(0.1).withLearningRate(0.001)
                    .withDevice(device).withNumThreads(threads);

            int group = 1 + numNeg;
            int rows = batch * group;
            int numHybrid = (int) Math.floor(rows * NUM_SAMPLE);
            MemorySegment[][] batches = new MemorySegment[DISTINCT_BATCHES][];
            for (int b = 0; b < DISTINCT_BATCHES; b++) {
                MemorySegment users = arena.allocate(ValueLayout.JAVA_LONG, batch);
                MemorySegment items = arena.allocate(ValueLayout.JAVA_LONG, rows);
                MemorySegment hybrid = arena.allocate(ValueLayout.JAVA_LONG, numHybrid);
                RandomInputs.fillBatch(random, users, batch, numUser, items, rows, numWarm, hybrid, numHybrid);
                batches[b] = new MemorySegment[] {users, items, hybrid};
            }

            try (ClcrecModel model = ClcrecModel.create(config, new ContentFeatures(modalities))) {
                for (int s = 0; s < warmup; s++) {
                    MemorySegment[] b = batches[s % DISTINCT_BATCHES];
                    model.trainStep(b[0], batch, b[1], group, b[2], numHybrid);
                }
                long[] stepNanos = new long[steps];
                long nativeBefore = model.trainStepNativeNanos();
                long loopStart = System.nanoTime();
                double lastLoss = 0;
                for (int s = 0; s < steps; s++) {
                    MemorySegment[] b = batches[s % DISTINCT_BATCHES];
                    long t0 = System.nanoTime();
                    lastLoss = model.trainStep(b[0], batch, b[1], group, b[2], numHybrid).loss();
                    stepNanos[s] = System.nanoTime() - t0;
                }
                long loopNanos = System.nanoTime() - loopStart;
                long nativeNanos = model.trainStepNativeNanos() - nativeBefore;

                long[] sorted = stepNanos.clone();
                Arrays.sort(sorted);
                double javaShare = (double) (loopNanos - nativeNanos) / loopNanos;
                System.out.printf("device               %s (LibTorch %s, threads %s)%n", model.device(),
                        NativeLibrary.torchVersion(), threads <= 0 ? "all" : threads);
                System.out.printf("shape                users %d, items %d (%d warm), features %s, batch %d, "
                        + "num_neg %d, dim %d, hybrid rows %d%n", numUser, numItem, numWarm,
                        Arrays.toString(widths), batch, numNeg, config.dimE(), numHybrid);
                System.out.printf("steps                %d timed after %d warm-up, last loss %.5f%n", steps, warmup,
                        lastLoss);
                System.out.printf("step time ms         median %.2f  p10 %.2f  p90 %.2f  min %.2f  max %.2f%n",
                        ms(sorted[steps / 2]), ms(sorted[steps / 10]), ms(sorted[(steps * 9) / 10]), ms(sorted[0]),
                        ms(sorted[steps - 1]));
                System.out.printf("wall time            loop %.1f ms, inside downcall %.1f ms, Java %.3f ms%n",
                        ms(loopNanos), ms(nativeNanos), ms(loopNanos - nativeNanos));
                System.out.printf("Java share           %.4f %% of the loop's wall time%n", 100 * javaShare);
                System.out.printf("peak RSS (VmHWM)     %s%n", vmHwm());
            }
        }
    }

    private static long positive(String value, String what) {
        long v = Long.parseLong(value.trim());
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
        return v;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String vmHwm() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return line.substring("VmHWM:".length()).trim();
            }
        }
        return "unknown";
    }
}
