package dev.clcrec.feed;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clcrec.api.ServingFixtures;
import dev.clcrec.data.Dataset;
import dev.clcrec.serve.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code clcrec serve} replicas fed by a real single-node KRaft broker: what is produced to the
 * topics becomes recommendable on both, a replica killed and restarted catches up from its own
 * position, and both give the same recommendations for the same state.
 */
class KafkaReplicasTest {
    private static final String ITEMS = "clcrec-items";
    private static final String INTERACTIONS = "clcrec-interactions";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until {@code condition} holds, up to a minute. */
    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(50);
        }
    }

    private Map<String, String> lists(int port) throws Exception {
        Thread.sleep(1100); // the popular ranking is refreshed at most once a second
        Map<String, String> out = new LinkedHashMap<>();
        for (String user : List.of("u0", "u5", "u42", "kafka-user-0", "kafka-user-3", "nobody")) {
            out.put(user, get(port, "/v1/users/" + user + "/recommendations?k=100").body());
        }
        return out;
    }

    @Test
    void replicasConvergeAndARestartedOneCatchesUp(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("bundle");
        List<String> itemValues = new ArrayList<>();
        try (Dataset data = ServingFixtures.dataset()) {
            ServingFixtures.trainBundle(data, bundle, 3, 1).close();
            for (int i = 0; i < 120; i++) {
                var item = ServingFixtures.copyOf(data, 100 + i % 20, "k-" + i);
                itemValues.add(json.writeValueAsString(Map.of("op", "add", "id", item.id(), "features", item.features())));
            }
        }
        Path brokerDir = dir.resolve("kafka");
        java.nio.file.Files.createDirectories(brokerDir);
        try (KafkaBroker broker = KafkaBroker.start(brokerDir)) {
            broker.createTopics(Map.of(ITEMS, 1, INTERACTIONS, 3));
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            List<String> common = List.of("--model", bundle.toString(), "--kafka-bootstrap", broker.bootstrap,
                    "--items-topic", ITEMS, "--interactions-topic", INTERACTIONS);
            List<String> a = new ArrayList<>(common);
            a.addAll(List.of("--state", dir.resolve("state-a").toString(), "--kafka-group", "replica-a"));
            List<String> b = new ArrayList<>(common);
            b.addAll(List.of("--state", dir.resolve("state-b").toString()));
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p);
                 ServerProcess ra = ServerProcess.start(a)) {
                ServerProcess rb = ServerProcess.start(b);
                try {
                    // Local writes would make the replicas diverge: refused.
                    HttpResponse<String> local = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                    + ra.port + "/v1/interactions")).header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + ServerProcess.TOKEN).POST(HttpRequest.BodyPublishers.ofString("{\"interactions\": [{\"user\": \"u1\", \"item\":"
                                    + " \"item-1\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(409, local.statusCode(), local.body());
                    for (int i = 0; i < 60; i++) {
                        producer.send(new ProducerRecord<>(ITEMS, "k-" + i, itemValues.get(i)));
                    }
                    producer.send(new ProducerRecord<>(ITEMS, "item-7", "{\"op\": \"remove\", \"id\": \"item-7\"}"));
                    producer.send(new ProducerRecord<>(ITEMS, "junk", "{\"op\": \"explode\"}")); // skipped, counted
                    for (int i = 0; i < 40; i++) {
                        String user = "kafka-user-" + i % 5;
                        producer.send(new ProducerRecord<>(INTERACTIONS, user, json.writeValueAsString(Map.of("user",
                                user, "item", i % 2 == 0 ? "k-" + i : "item-" + (20 + i), "timestamp", i))));
                    }
                    producer.flush();
                    for (ServerProcess r : List.of(ra, rb)) {
                        await("k-59 is recommendable on port " + r.port, () -> get(r.port, "/v1/items/k-59")
                                .statusCode() == 200);
                        await("item-7 is gone on port " + r.port, () -> get(r.port, "/v1/items/item-7")
                                .statusCode() == 404);
                        await("kafka-user-4 has 8 interactions on port " + r.port, () -> json.readTree(
                                get(r.port, "/v1/users/kafka-user-4/interactions").body()).get("items").size() == 8);
                    }
                    assertEquals(lists(ra.port), lists(rb.port));
                    assertTrue(lists(ra.port).get("kafka-user-3").contains("\"basis\":\"fold_in\""));
                    // End to end: one produce until recommendable on both replicas.
                    long t0 = System.nanoTime();
                    producer.send(new ProducerRecord<>(ITEMS, "k-60", itemValues.get(60))).get();
                    for (ServerProcess r : List.of(ra, rb)) {
                        await("k-60 on port " + r.port, () -> get(r.port, "/v1/items/k-60").statusCode() == 200);
                    }
                    System.out.printf("kafka: produce to recommendable on both replicas %.1f ms%n",
                            (System.nanoTime() - t0) / 1e6);
                    // Replica b dies; the stream goes on; b comes back and catches up from its own position.
                    rb.kill();
                    for (int i = 61; i < 120; i++) {
                        producer.send(new ProducerRecord<>(ITEMS, "k-" + i, itemValues.get(i)));
                    }
                    for (int i = 40; i < 80; i++) {
                        String user = "kafka-user-" + i % 5;
                        producer.send(new ProducerRecord<>(INTERACTIONS, user, json.writeValueAsString(Map.of("user",
                                user, "item", "k-" + (i % 60), "timestamp", i))));
                    }
                    producer.flush();
                    long t1 = System.nanoTime();
                    rb = ServerProcess.start(b);
                    for (ServerProcess r : List.of(ra, rb)) {
                        await("k-119 on port " + r.port, () -> get(r.port, "/v1/items/k-119").statusCode() == 200);
                        await("kafka-user-4 has 16 interactions on port " + r.port, () -> json.readTree(
                                get(r.port, "/v1/users/kafka-user-4/interactions").body()).get("items").size() == 16);
                    }
                    System.out.printf("kafka: restarted replica caught up 99 records in %.1f s (JVM start included)%n",
                            (System.nanoTime() - t1) / 1e9);
                    assertEquals(lists(ra.port), lists(rb.port));
                    // Nothing was applied twice: exactly 16 interactions each, not more.
                    assertEquals(16, json.readTree(get(rb.port, "/v1/users/kafka-user-4/interactions").body())
                            .get("items").size());
                } finally {
                    rb.kill();
                }
            }
        }
    }
}
