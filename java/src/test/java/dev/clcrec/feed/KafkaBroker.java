package dev.clcrec.feed;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real single-node Kafka (KRaft, broker and controller in one process) from Maven Central's
 * {@code org.apache.kafka:kafka_2.13} artifact, in a JVM of its own: {@code kafka.tools.StorageTool
 * format}, then {@code kafka.Kafka server.properties}, as an operator would run it.
 */
final class KafkaBroker implements AutoCloseable {
    final String bootstrap;
    private final Process process;
    private final Path log;

    private KafkaBroker(String bootstrap, Process process, Path log) {
        this.bootstrap = bootstrap;
        this.process = process;
        this.log = log;
    }

    static KafkaBroker start(Path dir) throws Exception {
        int port = freePort();
        int controller = freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false", ""), StandardCharsets.UTF_8);
        Path log = dir.resolve("broker.log");
        Process format = java(List.of("kafka.tools.StorageTool", "format", "-t", "q1Sh-9_ISia_zwGINzRvyQ", "-c",
                config.toString()), dir.resolve("format.log"));
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("kafka-storage format failed:\n" + Files.readString(dir.resolve("format.log")));
        }
        Process p = java(List.of("-Xmx512m", "kafka.Kafka", config.toString()), log);
        KafkaBroker b = new KafkaBroker("127.0.0.1:" + port, p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!listening(port)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                b.close();
                throw new IllegalStateException("the broker did not start:\n" + Files.readString(log));
            }
            Thread.sleep(100);
        }
        return b;
    }

    /** Creates topics (name to partition count) and waits until they are there. */
    void createTopics(Map<String, Integer> topics) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> newTopics = new ArrayList<>();
            topics.forEach((name, partitions) -> newTopics.add(new NewTopic(name, partitions, (short) 1)));
            admin.createTopics(newTopics).all().get(60, TimeUnit.SECONDS);
        }
    }

    private static Process java(List<String> args, Path output) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
