package io.tracewatch.io.kafka;

import io.tracewatch.io.IngestedSerializer;
import io.tracewatch.io.codec.ScanDecoder;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.ports.ScanSource;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.savepoint.SavepointNames;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Scan events from a Kafka topic. Watermarks are kept per partition, and a partition that has been
 * quiet for {@code kafka.idle_partition_timeout_ms} stops holding the others back.
 */
public final class KafkaScanSource implements ScanSource {
    public static final String UID = SavepointNames.SCAN_KAFKA_UID;
    private final KafkaSettings settings;
    private final Properties clientProperties;
    private final OffsetsInitializer startingOffsets;
    private final OffsetsInitializer stoppingOffsets;

    /** An unbounded source starting at {@code kafka.start_from}: the streaming job. */
    public KafkaScanSource(KafkaSettings settings, Properties clientProperties) {
        this(settings, clientProperties, startingOffsets(settings.startPosition()), null);
    }

    /** A source of the range from {@code startingOffsets} to {@code stoppingOffsets}: a replay. */
    public KafkaScanSource(
            KafkaSettings settings, Properties clientProperties, OffsetsInitializer startingOffsets, OffsetsInitializer stoppingOffsets) {
        this.settings = settings;
        this.clientProperties = clientProperties;
        this.startingOffsets = startingOffsets;
        this.stoppingOffsets = stoppingOffsets;
    }

    @Override
    public boolean bounded() {
        return stoppingOffsets != null;
    }

    @Override
    public DataStream<Ingested> create(StreamExecutionEnvironment env, WatermarkStrategy<Ingested> watermarks, ScanDecoder decoder) {
        KafkaSourceBuilder<Ingested> builder = KafkaSource.<Ingested>builder()
                .setProperties(clientProperties)
                .setBootstrapServers(settings.bootstrapServers())
                .setTopics(settings.scansTopic())
                .setGroupId(settings.groupId())
                .setStartingOffsets(startingOffsets)
                .setDeserializer(new ScanRecordDeserializer(settings.scanFormat(), decoder))
                // committed offsets only show progress to operators: a restart restores from the checkpoint
                .setProperty("commit.offsets.on.checkpoint", Boolean.toString(stoppingOffsets == null));
        if (stoppingOffsets != null) {
            builder.setBounded(stoppingOffsets);
        }
        return env.fromSource(
                        builder.build(),
                        watermarks.withIdleness(Duration.ofMillis(settings.idlePartitionTimeoutMs())),
                        "scan topic " + settings.scansTopic())
                .uid(UID);
    }

    private static OffsetsInitializer startingOffsets(KafkaSettings.StartPosition position) {
        if (position instanceof KafkaSettings.Earliest) {
            return OffsetsInitializer.earliest();
        }
        if (position instanceof KafkaSettings.Latest) {
            return OffsetsInitializer.latest();
        }
        if (position instanceof KafkaSettings.AtTimestamp at) {
            return OffsetsInitializer.timestamp(at.epochMillis());
        }
        return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
    }

    /** Decodes each record where it is read, so dead letters carry topic, partition and offset. */
    static final class ScanRecordDeserializer implements KafkaRecordDeserializationSchema<Ingested> {
        private final RecordFormat format;
        private final ScanDecoder decoder;

        ScanRecordDeserializer(RecordFormat format, ScanDecoder decoder) {
            this.format = format;
            this.decoder = decoder;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested> out) {
            byte[] value = record.value() == null ? new byte[0] : record.value();
            DeadLetters.Origin origin = new DeadLetters.Origin(record.topic(), record.offset(), record.partition());
            out.collect(format == RecordFormat.AVRO ? decoder.avro(value, origin) : decoder.json(value, origin));
        }

        @Override
        public TypeInformation<Ingested> getProducedType() {
            return IngestedSerializer.TYPE;
        }
    }
}
