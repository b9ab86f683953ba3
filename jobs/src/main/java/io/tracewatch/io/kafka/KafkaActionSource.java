package io.tracewatch.io.kafka;

import io.tracewatch.io.codec.CaseActions;
import io.tracewatch.io.ports.ActionSource;
import io.tracewatch.model.internal.ActionRecord;
import io.tracewatch.savepoint.SavepointNames;
import java.util.Properties;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Case actions from {@code kafka.case_actions_topic}, JSON (see {@link TopicRecords}).
 */
public final class KafkaActionSource implements ActionSource {
    public static final String UID = SavepointNames.CASE_ACTIONS_KAFKA_UID;
    private final KafkaSettings settings;
    private final Properties clientProperties;

    public KafkaActionSource(KafkaSettings settings, Properties clientProperties) {
        this.settings = settings;
        this.clientProperties = clientProperties;
    }

    @Override
    public DataStream<ActionRecord> create(StreamExecutionEnvironment env) {
        return TopicRecords.read(env, settings, clientProperties, settings.caseActionsTopic(), "-actions", CaseActions::decode,
                new AvroTypeInfo<>(ActionRecord.class), "case actions topic", UID);
    }
}
