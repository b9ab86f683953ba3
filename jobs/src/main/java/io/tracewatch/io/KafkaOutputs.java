package io.tracewatch.io;

import io.tracewatch.config.KafkaSettings;
import io.tracewatch.config.RecordFormat;
import io.tracewatch.model.Alert;
import io.tracewatch.model.DeadLetter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Alerts and dead letters to Kafka topics, exactly once: each sink writes in Kafka transactions
 * that commit with the checkpoint, so a read_committed consumer sees every record once, after the
 * checkpoint that covers it. Alerts are keyed by code: one code's records stay in one partition, in
 * order.
 */
public final class KafkaOutputs implements Outputs {
    private final KafkaSettings settings;
    private final Properties clientProperties;
    private final DeliveryGuarantee guarantee;

    public KafkaOutputs(KafkaSettings settings, Properties clientProperties) {
        this(settings, clientProperties, DeliveryGuarantee.EXACTLY_ONCE);
    }

    public KafkaOutputs(KafkaSettings settings, Properties clientProperties, DeliveryGuarantee guarantee) {
        this.settings = settings;
        this.clientProperties = clientProperties;
        this.guarantee = guarantee;
    }

    @Override
    public void alerts(DataStream<Alert> alerts) {
        alerts.sinkTo(sink(new AlertSerializer(settings.alertsTopic(), settings.alertFormat()), "alerts"))
                .name("alerts topic " + settings.alertsTopic())
                .uid("alerts-kafka");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters.sinkTo(sink(new DeadLetterSerializer(settings.deadLetterTopic(), settings.alertFormat()), "dead-letters"))
                .name("dead-letter topic " + settings.deadLetterTopic())
                .uid("dead-letters-kafka");
    }

    private <T> KafkaSink<T> sink(KafkaRecordSerializationSchema<T> serializer, String output) {
        Properties producer = new Properties();
        producer.putAll(clientProperties);
        producer.setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(settings.transactionTimeoutMs()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(settings.transactionalIdPrefix() + "-" + output)
                .build();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    static final class AlertSerializer implements KafkaRecordSerializationSchema<Alert> {
        private final String topic;
        private final RecordFormat format;

        AlertSerializer(String topic, RecordFormat format) {
            this.topic = topic;
            this.format = format;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(Alert alert, KafkaSinkContext context, Long timestamp) {
            try {
                byte[] value = format == RecordFormat.AVRO ? bytes(Alert.getEncoder().encode(alert)) : utf8(AlertJson.encode(alert));
                return new ProducerRecord<>(topic, utf8(alert.getCode()), value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
        private final String topic;
        private final RecordFormat format;

        DeadLetterSerializer(String topic, RecordFormat format) {
            this.topic = topic;
            this.format = format;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
            try {
                byte[] value = format == RecordFormat.AVRO
                        ? bytes(DeadLetter.getEncoder().encode(letter))
                        : utf8(DeadLetterJson.encode(letter));
                return new ProducerRecord<>(topic, utf8(letter.getCode()), value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
