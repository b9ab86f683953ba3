package io.tracewatch.io;

import io.tracewatch.cases.CaseActions;
import io.tracewatch.config.KafkaSettings;
import io.tracewatch.model.internal.ActionRecord;
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
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Case actions from {@code kafka.case_actions_topic}, JSON. Read from the group's committed offsets
 * (else the earliest): an action is applied once, and on a restart the checkpoint decides.
 */
public final class KafkaActionSource implements ActionSource {
    public static final String UID = "case-actions-kafka";
    private final KafkaSettings settings;
    private final Properties clientProperties;

    public KafkaActionSource(KafkaSettings settings, Properties clientProperties) {
        this.settings = settings;
        this.clientProperties = clientProperties;
    }

    @Override
    public DataStream<ActionRecord> create(StreamExecutionEnvironment env) {
        KafkaSource<ActionRecord> source = KafkaSource.<ActionRecord>builder()
                .setProperties(clientProperties)
                .setBootstrapServers(settings.bootstrapServers())
                .setTopics(settings.caseActionsTopic())
                .setGroupId(settings.groupId() + "-actions")
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ActionDeserializer())
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "case actions topic " + settings.caseActionsTopic()).uid(UID);
    }

    static final class ActionDeserializer implements KafkaRecordDeserializationSchema<ActionRecord> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ActionRecord> out) {
            byte[] value = record.value() == null ? new byte[0] : record.value();
            out.collect(CaseActions.decode(value, new DeadLetters.Origin(record.topic(), record.offset(), record.partition())));
        }

        @Override
        public TypeInformation<ActionRecord> getProducedType() {
            return new AvroTypeInfo<>(ActionRecord.class);
        }
    }
}
