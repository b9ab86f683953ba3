package io.tracewatch.feed;

import io.tracewatch.config.KafkaSettings;
import io.tracewatch.config.RecordFormat;
import io.tracewatch.io.AlertJson;
import io.tracewatch.io.KafkaClients;
import io.tracewatch.model.Alert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the alerts topic as a read_committed consumer (it sees only what the job committed) and
 * hands each alert record on, from the topic's start or from a point in time.
 */
public final class AlertFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertFollower.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final RecordFormat format;
    private final Consumer<Alert> sink;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param from the earliest record time to read from, or null for the start of the topic
     */
    public AlertFollower(KafkaSettings kafka, Properties client, Instant from, Consumer<Alert> sink) {
        this.consumer = KafkaClients.committedReader(client, kafka.bootstrapServers());
        this.format = kafka.alertFormat();
        this.sink = sink;
        consumer.subscribe(List.of(kafka.alertsTopic()), new ConsumerRebalanceListener() {
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
        this.thread = new Thread(this::follow, "alert-follower");
        this.thread.setDaemon(true);
    }

    public AlertFollower start() {
        thread.start();
        return this;
    }

    private void follow() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Alert alert;
                    try {
                        alert = format == RecordFormat.AVRO
                                ? Alert.getDecoder().decode(record.value())
                                : AlertJson.decode(new String(record.value(), StandardCharsets.UTF_8));
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("Skipped an unreadable alert record at {}-{}@{}", record.topic(), record.partition(), record.offset());
                        continue;
                    }
                    sink.accept(alert);
                }
            }
        } catch (WakeupException e) {
            // close() asked to stop
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
