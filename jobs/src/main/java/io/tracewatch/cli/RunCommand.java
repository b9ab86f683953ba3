package io.tracewatch.cli;

import io.tracewatch.config.TracewatchConfig;
import io.tracewatch.io.KafkaClientProperties;
import io.tracewatch.io.KafkaPreflight;
import io.tracewatch.job.FlinkSettings;
import io.tracewatch.job.StreamingJob;
import java.io.PrintStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code run}: the streaming job. Submitted to a cluster, it runs there; started with
 * {@code java -jar}, it runs on an embedded Flink in this process.
 */
final class RunCommand implements Command {
    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the streaming detector: scans from Kafka, alerts and dead letters to Kafka, exactly once";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()));
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        TracewatchConfig config = ConfigOptions.load(args);
        KafkaPreflight.check(config.kafka(), KafkaClientProperties.load(config.kafka()));
        if (config.reference().enabled()) {
            KafkaPreflight.check(config.kafka(), KafkaClientProperties.load(config.kafka()),
                    java.util.List.of(config.kafka().partiesTopic(), config.kafka().settingsTopic()));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.streaming(config.job()));
        StreamingJob.build(env, config);
        out.printf("tracewatch: reading %s at %s, alerts to %s, dead letters to %s%n",
                config.kafka().scansTopic(), config.kafka().bootstrapServers(), config.kafka().alertsTopic(), config.kafka().deadLetterTopic());
        env.execute(StreamingJob.NAME);
        return 0;
    }
}
