package dev.clcrec.feed;

import dev.clcrec.api.Recommender;
import dev.clcrec.state.StateEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Feeds a {@link Recommender} from Kafka, so that any number of serving replicas share one stream of
 * catalog changes and interactions and converge to the same state. One consumer thread reads every
 * partition of the items topic and the interactions topic (assigned, not a group member: each
 * replica needs every event) and hands each poll's events to {@link Recommender#applyFeed} together
 * with the positions after them; with a state directory that is one journal record, so a restarted
 * replica recovers its state and resumes exactly at its own committed position. Without one it
 * starts from the beginning of the topics (which must then keep every event). With a group id the
 * positions are also committed to Kafka after each batch, so the usual tools show each replica's lag.
 *
 * <p>A value that is not a valid event is skipped and counted ({@link #skipped()}); an item the model
 * cannot encode is skipped by the Recommender with a warning.
 */
public final class KafkaFeed implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KafkaFeed.class.getName());

    /**
     * @param bootstrap         Kafka bootstrap servers (host:port,...)
     * @param itemsTopic        item additions and removals (one partition, so every replica orders the catalog alike)
     * @param interactionsTopic interactions, keyed by user
     * @param groupId           where to commit positions for monitoring, or null
     */
    public record Options(String bootstrap, String itemsTopic, String interactionsTopic, String groupId) {
        public Options {
            Objects.requireNonNull(bootstrap, "bootstrap");
            Objects.requireNonNull(itemsTopic, "itemsTopic");
            Objects.requireNonNull(interactionsTopic, "interactionsTopic");
        }
    }

    private final Recommender rec;
    private final Options options;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong lag = new AtomicLong(-1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    private KafkaFeed(Recommender rec, Options options) {
        this.rec = rec;
        this.options = options;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "clcrec-replica");
        if (options.groupId() != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, options.groupId());
        }
        this.consumer = new KafkaConsumer<>(p);
        this.thread = Thread.ofPlatform().name("clcrec-kafka-feed").daemon(true).unstarted(this::run);
    }

    /** Starts consuming in the background (topics that do not exist yet are waited for). */
    public static KafkaFeed start(Recommender rec, Options options) {
        KafkaFeed f = new KafkaFeed(rec, options);
        rec.followFeed("Kafka topics " + options.itemsTopic() + " and " + options.interactionsTopic() + " at "
                + options.bootstrap());
        f.thread.start();
        return f;
    }

    /** Records applied so far (in this process). */
    public long applied() {
        return applied.get();
    }

    /** Records skipped as invalid so far. */
    public long skipped() {
        return skipped.get();
    }

    /** Records in the topics not yet applied, as of the last poll (-1 before the first). */
    public long lag() {
        return lag.get();
    }

    /** Why the feed stopped, if it did (it stops only on a failure to apply, e.g. a journal error). */
    public Throwable failure() {
        return failure.get();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = waitForPartitions();
            consumer.assign(partitions);
            Map<String, Long> positions = rec.feedPositions();
            for (TopicPartition tp : partitions) {
                Long next = positions.get(key(tp));
                if (next != null) {
                    consumer.seek(tp, next);
                } else {
                    consumer.seekToBeginning(List.of(tp));
                }
            }
            LOG.log(System.Logger.Level.INFO, "feed: {0} partitions of {1} and {2}, resuming at {3}", partitions.size(),
                    options.itemsTopic(), options.interactionsTopic(), positions.isEmpty() ? "the beginning" : positions);
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    apply(records);
                }
                long total = 0;
                for (TopicPartition tp : partitions) {
                    total += consumer.currentLag(tp).orElse(0);
                }
                lag.set(total);
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            failure.set(e);
            LOG.log(System.Logger.Level.ERROR, "feed stopped: the replica no longer follows " + options.bootstrap(), e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private List<TopicPartition> waitForPartitions() {
        long backoff = 100;
        while (running) {
            List<TopicPartition> out = new ArrayList<>();
            for (String topic : List.of(options.itemsTopic(), options.interactionsTopic())) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                if (infos != null) {
                    infos.forEach(i -> out.add(new TopicPartition(i.topic(), i.partition())));
                }
            }
            if (out.stream().anyMatch(tp -> tp.topic().equals(options.itemsTopic()))
                    && out.stream().anyMatch(tp -> tp.topic().equals(options.interactionsTopic()))) {
                if (out.stream().filter(tp -> tp.topic().equals(options.itemsTopic())).count() > 1) {
                    LOG.log(System.Logger.Level.WARNING, "feed: {0} has several partitions; replicas may then order"
                            + " added items differently (ties between equal scores can then differ)", options.itemsTopic());
                }
                return out;
            }
            LOG.log(System.Logger.Level.INFO, "feed: waiting for topics {0} and {1}", options.itemsTopic(),
                    options.interactionsTopic());
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
            backoff = Math.min(5000, backoff * 2);
        }
        throw new WakeupException();
    }

    private void apply(ConsumerRecords<byte[], byte[]> records) {
        List<StateEvent> events = new ArrayList<>(records.count());
        Map<String, Long> positions = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> commits = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            try {
                events.add(r.topic().equals(options.itemsTopic()) ? FeedRecords.item(r.value())
                        : new StateEvent.InteractionsRecorded(List.of(FeedRecords.interaction(r.value()))));
            } catch (IllegalArgumentException e) {
                skipped.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "feed: {0}-{1} offset {2} skipped: {3}", r.topic(), r.partition(),
                        r.offset(), e.getMessage());
            }
            positions.put(key(tp), r.offset() + 1);
            commits.put(tp, new OffsetAndMetadata(r.offset() + 1));
        }
        rec.applyFeed(new StateEvent.FeedBatch(positions, events));
        applied.addAndGet(events.size());
        if (options.groupId() != null) {
            consumer.commitSync(commits); // for monitoring: the state's own position is in its journal
        }
    }

    private static String key(TopicPartition tp) {
        return tp.topic() + ":" + tp.partition();
    }

    /** Stops consuming (what was applied stays applied). */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
