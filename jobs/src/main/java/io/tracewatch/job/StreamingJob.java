package io.tracewatch.job;

import io.tracewatch.config.TracewatchConfig;
import io.tracewatch.detect.DetectionTopology;
import io.tracewatch.io.KafkaClientProperties;
import io.tracewatch.io.KafkaOutputs;
import io.tracewatch.io.KafkaScanSource;
import java.util.Properties;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The live job: scans from Kafka, alerts and dead letters to Kafka, exactly once. */
public final class StreamingJob {
    public static final String NAME = "tracewatch detector";

    private StreamingJob() {}

    public static void build(StreamExecutionEnvironment env, TracewatchConfig config) {
        Properties client = KafkaClientProperties.load(config.kafka());
        DetectionTopology.build(
                env, config, new KafkaScanSource(config.kafka(), client), new KafkaOutputs(config.kafka(), client));
    }
}
