package io.tracewatch.testing;

import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.kafka.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Producing to and reading from topics of a test broker. */
public final class KafkaTopics {
    private final String bootstrapServers;

    public KafkaTopics(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public KafkaProducer<byte[], byte[]> producer() {
        return KafkaClients.producer(bootstrapServers);
    }

    /**
     * Reads committed records of {@code topic} until {@code done} holds for all read so far, or the
     * timeout passes; returns what was read either way.
     */
    public List<ConsumerRecord<byte[], byte[]>> readUntil(
            String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.committedReader(bootstrapServers, topic)) {
            while (System.nanoTime() < deadline && !done.test(records)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    public void send(KafkaProducer<byte[], byte[]> producer, String topic, Integer partition, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, partition, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
    }

    /** Sends scan lines keyed by the code they name, as uploaders' gateways do (a line naming none unkeyed), and waits until they are written. */
    public void sendLines(String topic, List<String> lines) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (String line : lines) {
                String code = line.replaceFirst(".*\"code\":\"([0-9A-Za-z]+)\".*", "$1");
                send(producer, topic, null, code.equals(line) ? null : code, line.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** Sends generated scans keyed by code, as uploaders' gateways do (malformed lines unkeyed), and waits until they are written. */
    public void sendScans(String topic, List<ScanGenerator.GeneratedScan> scans) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (ScanGenerator.GeneratedScan scan : scans) {
                send(producer, topic, null, scan.event() == null ? null : scan.event().getCode(), scan.json().getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
