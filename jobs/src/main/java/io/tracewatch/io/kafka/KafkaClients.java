package io.tracewatch.io.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain Kafka clients for the commands and tests that feed or follow topics. */
public final class KafkaClients {
    private KafkaClients() {}

    public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return producer(new Properties(), bootstrapServers);
    }

    /**
     * A producer of raw records with the given client settings (SASL, TLS). It gives up within
     * bounds rather than wait for a broker that went away: a send blocks at most 10 s for metadata,
     * a record fails 30 s after it was sent, so closing never hangs.
     */
    public static KafkaProducer<byte[], byte[]> producer(Properties client, String bootstrapServers) {
        Properties settings = new Properties();
        settings.putAll(client);
        settings.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000"));
        return new KafkaProducer<>(settings);
    }

    /** Where a read_committed reader of {@code topic} would start, were it to start at the end now: per partition. */
    public static Map<TopicPartition, Long> endOffsets(String bootstrapServers, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = committedReader(new Properties(), bootstrapServers)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return new java.util.HashMap<>(consumer.endOffsets(partitions));
        }
    }

    /** Follows a topic from its beginning, seeing only committed records. */
    public static KafkaConsumer<byte[], byte[]> committedReader(String bootstrapServers, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = committedReader(new Properties(), bootstrapServers);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /**
     * A consumer that sees only committed records, in a group of its own (it never moves anyone
     * else's offsets), with the given client settings (SASL, TLS); not yet subscribed.
     */
    public static KafkaConsumer<byte[], byte[]> committedReader(Properties client, String bootstrapServers) {
        Properties settings = new Properties();
        settings.putAll(client);
        settings.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "tracewatch-follower-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        return new KafkaConsumer<>(settings);
    }
}
