package io.tracewatch.io.kafka;

import io.tracewatch.io.IngestedSerializer;
import io.tracewatch.io.codec.VerifyRequests;
import io.tracewatch.io.ports.RequestSource;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.savepoint.SavepointNames;
import java.util.Properties;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Verification requests from {@code kafka.verify_requests_topic} (see {@link TopicRecords}),
 * answered as they arrive. They carry no event time: the topology keeps them from moving the scans'
 * watermark.
 */
public final class KafkaRequestSource implements RequestSource {
    public static final String UID = SavepointNames.VERIFY_REQUESTS_KAFKA_UID;
    private final KafkaSettings settings;
    private final Properties clientProperties;

    public KafkaRequestSource(KafkaSettings settings, Properties clientProperties) {
        this.settings = settings;
        this.clientProperties = clientProperties;
    }

    @Override
    public DataStream<Ingested> create(StreamExecutionEnvironment env) {
        return TopicRecords.read(env, settings, clientProperties, settings.verifyRequestsTopic(), "-verify", VerifyRequests::decode,
                IngestedSerializer.TYPE, "verify requests topic", UID);
    }

    @Override
    public boolean answersAtEnd() {
        return false;
    }
}
