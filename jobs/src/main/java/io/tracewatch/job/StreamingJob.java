package io.tracewatch.job;

import io.tracewatch.io.kafka.KafkaActionSource;
import io.tracewatch.io.kafka.KafkaClientProperties;
import io.tracewatch.io.kafka.KafkaOutputs;
import io.tracewatch.io.kafka.KafkaPreflight;
import io.tracewatch.io.kafka.KafkaReferenceSource;
import io.tracewatch.io.kafka.KafkaRequestSource;
import io.tracewatch.io.kafka.KafkaScanSource;
import io.tracewatch.io.ports.Inputs;
import java.io.PrintStream;
import java.util.List;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The live job: scans, case actions and verification requests from Kafka; alerts, dead letters,
 * cases, leads and verifications to Kafka, exactly once. The job jar's entry point:
 * {@code flink run tracewatch-job.jar [--config FILE] [--set KEY=VALUE]...}.
 */
public final class StreamingJob {
    public static final String NAME = "tracewatch detector";

    private StreamingJob() {}

    public static void main(String[] args) throws Exception {
        prepare(JobArguments.load(args), System.out).execute(NAME);
    }

    /**
     * Checks that the topics exist and builds the job, ready to execute: on the cluster it is
     * submitted to, or on an embedded Flink when started outside one.
     */
    public static StreamExecutionEnvironment prepare(TracewatchConfig config, PrintStream out) {
        return prepare(config, out, null);
    }

    /**
     * As {@link #prepare(TracewatchConfig, PrintStream)}, starting from a savepoint.
     *
     * @param savepoint the savepoint's URI or path, or null to start afresh
     */
    public static StreamExecutionEnvironment prepare(TracewatchConfig config, PrintStream out, String savepoint) {
        Properties client = KafkaClientProperties.load(config.kafka());
        KafkaPreflight.check(config.kafka(), client);
        if (config.reference().enabled()) {
            KafkaPreflight.check(config.kafka(), client, KafkaReferenceSource.topics(config.kafka()));
        }
        Configuration flink = FlinkSettings.streaming(config.job());
        if (savepoint != null) {
            flink.setString("execution.state-recovery.path", savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        build(env, config);
        out.printf("tracewatch: reading %s at %s, alerts to %s, dead letters to %s%n",
                config.kafka().scansTopic(), config.kafka().bootstrapServers(), config.kafka().alertsTopic(), config.kafka().deadLetterTopic());
        return env;
    }

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
