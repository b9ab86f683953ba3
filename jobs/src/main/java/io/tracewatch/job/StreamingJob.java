package io.tracewatch.job;

import io.tracewatch.config.TracewatchConfig;
import io.tracewatch.detect.DetectionTopology;
import io.tracewatch.io.Inputs;
import io.tracewatch.io.KafkaActionSource;
import io.tracewatch.io.KafkaClientProperties;
import io.tracewatch.io.KafkaReferenceSource;
import io.tracewatch.io.KafkaRequestSource;
import io.tracewatch.io.KafkaOutputs;
import io.tracewatch.io.KafkaScanSource;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The live job: scans, case actions and verification requests from Kafka; alerts, dead letters,
 * cases, leads and verifications to Kafka, exactly once.
 */
public final class StreamingJob {
    public static final String NAME = "tracewatch detector";

    private StreamingJob() {}

    public static void build(StreamExecutionEnvironment env, TracewatchConfig config) {
        Properties client = KafkaClientProperties.load(config.kafka());
        Inputs inputs = Inputs.of(new KafkaScanSource(config.kafka(), client))
                .withActions(new KafkaActionSource(config.kafka(), client))
                .withRequests(new KafkaRequestSource(config.kafka(), client));
        if (config.reference().enabled()) {
            inputs = inputs.withReference(KafkaReferenceSource.read(config.kafka(), client, config.reference().register()));
        }
        DetectionTopology.build(env, config, inputs, new KafkaOutputs(config.kafka(), client));
    }
}
