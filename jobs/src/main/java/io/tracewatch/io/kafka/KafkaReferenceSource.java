package io.tracewatch.io.kafka;

import io.tracewatch.io.codec.ReferenceJson;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.ports.ReferenceSource;
import io.tracewatch.model.internal.ReferenceRecord;
import io.tracewatch.savepoint.SavepointNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The live job's reference data: the compacted parties topic and the settings topic. When the job
 * is built, both are read to their end (read_committed), so that the job starts with everything
 * they held and judges no scan before it has it; versions published later arrive through a Kafka
 * source that starts where that read ended.
 */
public final class KafkaReferenceSource implements ReferenceSource {
    public static final String UID = SavepointNames.REFERENCE_KAFKA_UID;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaSettings settings;
    private final Properties clientProperties;
    private final boolean register;
    private final List<ReferenceRecord> atStart;
    private final Map<TopicPartition, Long> ends;

    private KafkaReferenceSource(KafkaSettings settings, Properties client, boolean register, List<ReferenceRecord> atStart,
            Map<TopicPartition, Long> ends) {
        this.settings = settings;
        this.clientProperties = client;
        this.register = register;
        this.atStart = atStart;
        this.ends = ends;
    }

    /**
     * Reads both topics to their end now.
     *
     * @param register whether the parties topic is the register (reference.register)
     */
    public static KafkaReferenceSource read(KafkaSettings settings, Properties client, boolean register) {
        List<ReferenceRecord> records = new ArrayList<>();
        Map<TopicPartition, Long> ends = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.committedReader(client, settings.bootstrapServers())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics(settings)) {
                consumer.partitionsFor(topic, READ_TIMEOUT).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            ends.putAll(consumer.endOffsets(partitions, READ_TIMEOUT));
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, READ_TIMEOUT) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reference topics not read to their end within " + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        records.add(decode(settings, record));
                    }
                }
            }
        }
        records.add(ReferenceRecord.newBuilder().setReady(true).build());
        return new KafkaReferenceSource(settings, client, register, records, ends);
    }

    /** The reference data's topics: the register, the settings versions and the recall list. */
    public static List<String> topics(KafkaSettings settings) {
        return List.of(settings.partiesTopic(), settings.settingsTopic(), settings.recallsTopic());
    }

    static ReferenceRecord decode(KafkaSettings settings, ConsumerRecord<byte[], byte[]> record) {
        ReferenceJson.Kind kind = record.topic().equals(settings.partiesTopic()) ? ReferenceJson.Kind.PARTY
                : record.topic().equals(settings.recallsTopic()) ? ReferenceJson.Kind.RECALL : ReferenceJson.Kind.SETTINGS;
        return ReferenceJson.decode(kind, record.value(), new DeadLetters.Origin(record.topic(), record.offset(), record.partition()));
    }

    @Override
    public DataStream<ReferenceRecord> create(StreamExecutionEnvironment env) {
        AvroTypeInfo<ReferenceRecord> type = new AvroTypeInfo<>(ReferenceRecord.class);
        DataStream<ReferenceRecord> start = env.fromData(atStart, type).setParallelism(1).name("reference data at start");
        Map<org.apache.kafka.common.TopicPartition, Long> from = new HashMap<>(ends);
        KafkaSource<ReferenceRecord> updates = KafkaSource.<ReferenceRecord>builder()
                .setProperties(clientProperties)
                .setBootstrapServers(settings.bootstrapServers())
                .setTopics(topics(settings))
                .setGroupId(settings.groupId() + "-reference")
                .setStartingOffsets(OffsetsInitializer.offsets(from))
                .setDeserializer(new UpdateDeserializer(settings))
                .build();
        return start.union(env.fromSource(updates, WatermarkStrategy.noWatermarks(), "reference topics").uid(UID));
    }

    @Override
    public boolean register() {
        return register;
    }

    static final class UpdateDeserializer implements KafkaRecordDeserializationSchema<ReferenceRecord> {
        private final KafkaSettings settings;

        UpdateDeserializer(KafkaSettings settings) {
            this.settings = settings;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ReferenceRecord> out) {
            if (record.value() != null) {
                out.collect(decode(settings, record));
            }
        }

        @Override
        public TypeInformation<ReferenceRecord> getProducedType() {
            return new AvroTypeInfo<>(ReferenceRecord.class);
        }
    }
}
