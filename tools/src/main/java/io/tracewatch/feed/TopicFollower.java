package io.tracewatch.feed;

import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.io.kafka.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one topic as a read_committed consumer (it sees only what the job committed) and hands
 * each record on, decoded, from the topic's start or from a point in time. A record that does not
 * decode is skipped with a warning; a broker that goes away is retried, and said so, until it is
 * back.
 */
public final class TopicFollower<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Function<byte[], T> decoder;
    private final Consumer<T> sink;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean connected = true;

    /**
     * @param from the earliest record time to read from, or null for the start of the topic
     */
    public TopicFollower(KafkaSettings kafka, Properties client, String topic, Instant from, Function<byte[], T> decoder, Consumer<T> sink) {
        this.consumer = KafkaClients.committedReader(client, kafka.bootstrapServers());
        this.topic = topic;
        this.decoder = decoder;
        this.sink = sink;
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (from == null) {
                    consumer.seekToBeginning(partitions);
                    return;
                }
                Map<TopicPartition, Long> times = new HashMap<>();
                partitions.forEach(p -> times.put(p, from.toEpochMilli()));
                consumer.offsetsForTimes(times).forEach((partition, offset) -> {
                    if (offset == null) {
                        consumer.seekToEnd(List.of(partition));
                    } else {
                        consumer.seek(partition, offset.offset());
                    }
                });
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
        });
        this.thread = new Thread(this::follow, "follower-" + topic);
        this.thread.setDaemon(true);
    }

    public TopicFollower<T> start() {
        thread.start();
        return this;
    }

    /** Whether the last poll reached the broker. */
    public boolean connected() {
        return connected;
    }

    private void follow() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        T value;
                        try {
                            value = record.value() == null ? null : decoder.apply(record.value());
                        } catch (RuntimeException e) {
                            LOG.warn("Skipped an unreadable record at {}-{}@{}", record.topic(), record.partition(), record.offset());
                            continue;
                        }
                        if (value != null) {
                            sink.accept(value);
                        }
                    }
                    if (!connected) {
                        LOG.warn("Kafka is back: following {} again", topic);
                    }
                    connected = true;
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    if (connected) {
                        LOG.warn("Cannot read {}: {}; retrying", topic, e.getMessage());
                    }
                    connected = false;
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException e) {
            // close() asked to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }
}
