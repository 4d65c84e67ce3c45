package example;

import dev.clcrec.api.ItemFilter;
import dev.clcrec.api.NewItem;
import dev.clcrec.api.Recommendation;
import dev.clcrec.api.Recommender;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.Datasets;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.engine.ModelConfig;
import dev.clcrec.sampling.SamplingConfig;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.TrainOptions;
import dev.clcrec.train.TrainingListener;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a JVM service does with clcrec: train on a dataset, write the model bundle, serve it with no
 * dataset, add a brand-new item from its content and get it recommended next to the existing ones.
 * Usage: ConsumerExample DATA_DIR OUT_DIR
 */
public final class ConsumerExample {
    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path bundle = out.resolve("bundle");
        Map<String, float[]> content = new LinkedHashMap<>();
        String user;
        try (Dataset data = Datasets.open(dataDir)) {
            ModelConfig model = ModelConfig.defaults(1, 1, 1).withDimE(16).withHiddenDim(64).withDevice(Device.CPU).withNumThreads(2);
            RunConfig config = new RunConfig(model, new SamplingConfig(512, 8, 0.5, 1, 1, false),
                    new TrainOptions(1, 7, 10, out.resolve("best.ckpt"), null, 0), new int[] {10}, 500, null);
            try (Recommender trained = Recommender.train(data, config, TrainingListener.NONE)) {
                trained.saveBundle(bundle);
                user = data.ids().map(ids -> ids.externalUser(0)).orElse("0");
                // The new item's content: a copy of the cold item this user likes best.
                Recommendation liked = trained.recommend(user, 1, ItemFilter.COLD).getFirst();
                for (FeatureMatrix m : data.content().modalities()) {
                    float[] v = new float[(int) m.cols()];
                    MemorySegment.copy(m.data(), ValueLayout.JAVA_FLOAT, liked.item() * m.cols() * Float.BYTES, v, 0,
                            v.length);
                    content.put(m.name(), v);
                }
            }
        }
        try (Recommender served = Recommender.open(bundle)) { // no dataset from here on
            served.addItems(List.of(new NewItem("example-new-item", content)));
            List<Recommendation> top = served.recommend(user, 3, ItemFilter.COLD);
            top.forEach(r -> System.out.printf("%s\t%s\t%.4f%n", user, r.itemId(), r.score()));
            if (top.stream().noneMatch(r -> r.itemId().equals("example-new-item"))) {
                System.err.println("example: the added item was not recommended");
                System.exit(1);
            }
            System.out.println("example: new item recommended to " + user + " from bundle " + bundle);
        }
    }
}
