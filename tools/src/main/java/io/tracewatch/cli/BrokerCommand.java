package io.tracewatch.cli;

import io.tracewatch.embedded.EmbeddedKafka;
import io.tracewatch.embedded.ScratchDirectory;
import io.tracewatch.embedded.Topics;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.job.TracewatchConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code broker}: the embedded Kafka broker (KRaft) alone, with every topic the configuration names,
 * to try {@code run}, {@code feed}, {@code tail} or {@code demo --broker} against. Not for production.
 */
final class BrokerCommand implements Command {
    static final int DEFAULT_PORT = 9092;

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public String summary() {
        return "start a local Kafka broker (KRaft, one node) with every configured topic; Ctrl-C stops it";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()))
                .value("port", "PORT", "port of its listener on localhost (default " + DEFAULT_PORT + "; 0: a free one)")
                .value("data-dir", "DIR", "where it keeps its data, kept after it stops (default: a temporary directory, removed)");
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        TracewatchConfig config = ConfigOptions.load(args);
        int port = Ports.requireFree("--port", args.has("port") ? args.port("port") : DEFAULT_PORT);
        String dataDir = args.get("data-dir", null);
        try (StopSignal stop = StopSignal.install();
                ScratchDirectory scratch = dataDir == null ? ScratchDirectory.create("tracewatch-broker-", false) : null;
                EmbeddedKafka kafka = EmbeddedKafka.start(dataDir == null ? scratch.path().resolve("kafka") : Paths.get(dataDir), port)) {
            out.println("Kafka: " + kafka.bootstrapServers());
            KafkaSettings topics = config.kafka();
            kafka.createTopics(topics);
            out.printf("topics: %s (%d partitions), %s (%d), %s (%d), and %s with one each%n",
                    topics.scansTopic(), topics.partitions().scans(), topics.alertsTopic(), topics.partitions().alerts(),
                    topics.casesTopic(), topics.partitions().cases(),
                    String.join(", ", Topics.withOnePartition(topics)));
            out.printf("data: %s%s; Ctrl-C stops it%n", dataDir == null ? scratch.path() : Path.of(dataDir).toAbsolutePath(),
                    dataDir == null ? " (removed when it stops)" : "");
            out.flush();
            stop.await();
        }
        return 0;
    }
}
