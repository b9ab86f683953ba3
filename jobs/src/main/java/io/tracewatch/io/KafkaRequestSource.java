package io.tracewatch.io;

import io.tracewatch.config.KafkaSettings;
import io.tracewatch.model.internal.Ingested;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Verification requests from {@code kafka.verify_requests_topic}, answered as they arrive. They
 * carry no event time: the topology keeps them from moving the scans' watermark.
 */
public final class KafkaRequestSource implements RequestSource {
    public static final String UID = "verify-requests-kafka";
    private final KafkaSettings settings;
    private final Properties clientProperties;

    public KafkaRequestSource(KafkaSettings settings, Properties clientProperties) {
        this.settings = settings;
        this.clientProperties = clientProperties;
    }

    @Override
    public DataStream<Ingested> create(StreamExecutionEnvironment env) {
        KafkaSource<Ingested> source = KafkaSource.<Ingested>builder()
                .setProperties(clientProperties)
                .setBootstrapServers(settings.bootstrapServers())
                .setTopics(settings.verifyRequestsTopic())
                .setGroupId(settings.groupId() + "-verify")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RequestDeserializer())
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "verify requests topic " + settings.verifyRequestsTopic()).uid(UID);
    }

    @Override
    public boolean answersAtEnd() {
        return false;
    }

    static final class RequestDeserializer implements KafkaRecordDeserializationSchema<Ingested> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Ingested> out) {
            byte[] value = record.value() == null ? new byte[0] : record.value();
            out.collect(VerifyRequests.decode(value, new DeadLetters.Origin(record.topic(), record.offset(), record.partition())));
        }

        @Override
        public TypeInformation<Ingested> getProducedType() {
            return IngestedSerializer.TYPE;
        }
    }
}
