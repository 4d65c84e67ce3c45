package dev.clcrec.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.api.Recommender;
import dev.clcrec.api.StateOptions;
import dev.clcrec.engine.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka feed benchmark (not product code): a real single-node broker (as in the tests), ITEMS item
 * events and INTERACTIONS interaction events produced, then a replica over BUNDLE (journaled to a
 * state directory) started cold: how fast it catches up; then produce-to-recommendable latency of
 * single items.
 * <pre>  FeedBenchmark BUNDLE WORK_DIR ITEMS INTERACTIONS</pre>
 */
public final class FeedBenchmark {
    private FeedBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path bundle = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int items = Integer.parseInt(args[2]);
        int interactions = Integer.parseInt(args[3]);
        Files.createDirectories(work.resolve("kafka"));
        ObjectMapper json = new ObjectMapper();
        Random r = new Random(1);
        try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"))) {
            broker.createTopics(Map.of("clcrec-items", 1, "clcrec-interactions", 3));
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p);
                 Recommender rec = Recommender.open(bundle, Device.CPU, 1, new StateOptions(work.resolve("state")))) {
                int width = rec.modalities().values().iterator().next().intValue();
                String modality = rec.modalities().keySet().iterator().next();
                long t0 = System.nanoTime();
                for (int i = 0; i < items; i++) {
                    producer.send(new ProducerRecord<>("clcrec-items", "f-" + i, json.writeValueAsString(Map.of("op", "add",
                            "id", "f-" + i, "features", Map.of(modality, vector(r, width))))));
                }
                for (int i = 0; i < interactions; i++) {
                    String user = "fu-" + r.nextInt(5000);
                    producer.send(new ProducerRecord<>("clcrec-interactions", user, json.writeValueAsString(Map.of(
                            "user", user, "item", "f-" + r.nextInt(items), "timestamp", i))));
                }
                producer.flush();
                double produce = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "produced %d item and %d interaction events in %.1f s%n", items,
                        interactions, produce);
                long t1 = System.nanoTime();
                try (KafkaFeed feed = KafkaFeed.start(rec, new KafkaFeed.Options(broker.bootstrap, "clcrec-items",
                        "clcrec-interactions", null))) {
                    while (feed.applied() < items + interactions) {
                        Thread.sleep(20);
                    }
                    double catchUp = (System.nanoTime() - t1) / 1e9;
                    System.out.printf(Locale.ROOT, "cold replica caught up %d events in %.1f s: %.0f events/s (journaled)%n",
                            items + interactions, catchUp, (items + interactions) / catchUp);
                    long[] lat = new long[200];
                    for (int i = 0; i < lat.length; i++) {
                        String id = "late-" + i;
                        long s = System.nanoTime();
                        producer.send(new ProducerRecord<>("clcrec-items", id, json.writeValueAsString(Map.of("op", "add",
                                "id", id, "features", Map.of(modality, vector(r, width))))));
                        producer.flush();
                        while (!rec.containsItem(id)) {
                            Thread.onSpinWait();
                        }
                        lat[i] = System.nanoTime() - s;
                    }
                    Arrays.sort(lat);
                    System.out.printf(Locale.ROOT, "produce -> recommendable, one item at a time: p50 %.1f ms, p99 %.1f ms%n",
                            lat[lat.length / 2] / 1e6, lat[lat.length * 99 / 100] / 1e6);
                }
            }
        }
    }

    private static float[] vector(Random r, int width) {
        float[] v = new float[width];
        for (int i = 0; i < width; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
