package io.tracewatch.io.kafka;

import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.DeadLetterJson;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.io.ports.Outputs;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.Lead;
import io.tracewatch.model.Verification;
import io.tracewatch.savepoint.SavepointNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.function.SerializableFunction;
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
    private boolean alertsOnly;

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
        alerts.sinkTo(sink(new RecordSerializer<>(settings.alertsTopic(), settings.alertFormat(), Alert::getCode, AlertJson::encode,
                        a -> Alert.getEncoder().encode(a)), "alerts"))
                .name("alerts topic " + settings.alertsTopic())
                .uid(SavepointNames.ALERTS_KAFKA_UID);
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        deadLetters.sinkTo(sink(new RecordSerializer<>(settings.deadLetterTopic(), settings.alertFormat(), DeadLetter::getCode,
                        DeadLetterJson::encode, d -> DeadLetter.getEncoder().encode(d)), "dead-letters"))
                .name("dead-letter topic " + settings.deadLetterTopic())
                .uid(SavepointNames.DEAD_LETTERS_KAFKA_UID);
    }

    /** Writes alerts and dead letters only (a replay to a topic): cases, leads and verifications are not the live job's. */
    public KafkaOutputs alertsOnly() {
        this.alertsOnly = true;
        return this;
    }

    @Override
    public void cases(DataStream<CaseRecord> cases) {
        if (alertsOnly) {
            Outputs.super.cases(cases);
            return;
        }
        cases.sinkTo(sink(new RecordSerializer<>(settings.casesTopic(), settings.alertFormat(), CaseRecord::getCaseId, (CaseRecord c) -> RecordJson.encode(c),
                        c -> CaseRecord.getEncoder().encode(c)), "cases"))
                .name("cases topic " + settings.casesTopic())
                .uid(SavepointNames.CASES_KAFKA_UID);
    }

    @Override
    public void leads(DataStream<Lead> leads) {
        if (alertsOnly) {
            Outputs.super.leads(leads);
            return;
        }
        leads.sinkTo(sink(new RecordSerializer<>(settings.leadsTopic(), settings.alertFormat(), Lead::getCode, (Lead l) -> RecordJson.encode(l),
                        l -> Lead.getEncoder().encode(l)), "leads"))
                .name("leads topic " + settings.leadsTopic())
                .uid(SavepointNames.LEADS_KAFKA_UID);
    }

    @Override
    public void verifications(DataStream<Verification> verifications) {
        if (alertsOnly) {
            Outputs.super.verifications(verifications);
            return;
        }
        verifications.sinkTo(sink(new RecordSerializer<>(settings.verificationsTopic(), settings.alertFormat(), Verification::getCode,
                        (Verification v) -> RecordJson.encode(v), v -> Verification.getEncoder().encode(v)), "verifications"))
                .name("verifications topic " + settings.verificationsTopic())
                .uid(SavepointNames.VERIFICATIONS_KAFKA_UID);
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

    /**
     * Writes each record to one topic, keyed by its code (null when unknown), as JSON or as Avro
     * single-object encoding.
     */
    static final class RecordSerializer<T> implements KafkaRecordSerializationSchema<T> {
        /** A generated record's own single-object encoder, e.g. {@code a -> Alert.getEncoder().encode(a)}. */
        interface AvroEncoder<T> extends java.io.Serializable {
            ByteBuffer encode(T record) throws IOException;
        }

        private final String topic;
        private final RecordFormat format;
        private final SerializableFunction<T, String> code;
        private final SerializableFunction<T, String> json;
        private final AvroEncoder<T> avro;

        RecordSerializer(String topic, RecordFormat format, SerializableFunction<T, String> code, SerializableFunction<T, String> json,
                AvroEncoder<T> avro) {
            this.topic = topic;
            this.format = format;
            this.code = code;
            this.json = json;
            this.avro = avro;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
            String key = code.apply(record);
            byte[] value = format == RecordFormat.AVRO ? avro(record) : json.apply(record).getBytes(StandardCharsets.UTF_8);
            return new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
        }

        private byte[] avro(T record) {
            try {
                ByteBuffer buffer = avro.encode(record);
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return bytes;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
