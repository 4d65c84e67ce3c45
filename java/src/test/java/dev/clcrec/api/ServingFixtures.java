package dev.clcrec.api;

import dev.clcrec.data.Dataset;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.sampling.SamplingConfig;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.SyntheticData;
import dev.clcrec.train.TrainOptions;
import dev.clcrec.train.TrainingListener;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small trained models written as bundles, shared by the bundle, catalog and server tests. */
public final class ServingFixtures {
    private ServingFixtures() {}

    /** 100 users, 120 items (20 cold), external ids u0.. / item-0.., one content modality v of width 12. */
    public static Dataset dataset() {
        return SyntheticData.create(100, 120, 100, 4, 12, 5, true);
    }

    /** Trains for {@code epochs} with {@code seed} and writes {@code dir}; returns the trained Recommender. */
    public static Recommender trainBundle(Dataset data, Path dir, long seed, int epochs) throws InterruptedException {
        RunConfig c = quickConfig(dir.resolveSibling(dir.getFileName() + ".ckpt"), seed, epochs, 10);
        Recommender rec = Recommender.train(data, c, TrainingListener.NONE);
        rec.saveBundle(dir);
        return rec;
    }

    /** A small, quick training (dim 16, one thread) saving its best epoch to {@code best}, evaluated at {@code ks}. */
    public static RunConfig quickConfig(Path best, long seed, int epochs, int... ks) {
        ModelConfig m = ModelConfig.defaults(1, 1, 1).withDimE(16).withHiddenDim(32).withLearningRate(0.01)
                .withLrLambda(0.5).withDevice(Device.CPU).withNumThreads(1).withSeed(seed);
        return new RunConfig(m, new SamplingConfig(64, 16, 0.5, seed, 1, false),
                new TrainOptions(epochs, 7, 10, best, null, 0), ks, 100, null);
    }

    /** The raw content of dataset item {@code item}, as a new item called {@code id}. */
    public static NewItem copyOf(Dataset data, int item, String id) {
        Map<String, float[]> f = new LinkedHashMap<>();
        for (var m : data.content().modalities()) {
            float[] v = new float[(int) m.cols()];
            java.lang.foreign.MemorySegment.copy(m.data(), ValueLayout.JAVA_FLOAT, item * m.cols() * Float.BYTES, v, 0,
                    v.length);
            f.put(m.name(), v);
        }
        return new NewItem(id, f);
    }
}
