package io.tracewatch.cli;

import io.tracewatch.feed.AccessTokens;
import io.tracewatch.feed.AuditLog;
import io.tracewatch.feed.FeedBackend;
import io.tracewatch.feed.FeedServer;
import io.tracewatch.io.kafka.KafkaClientProperties;
import io.tracewatch.io.kafka.KafkaPreflight;
import io.tracewatch.job.TracewatchConfig;
import java.io.PrintStream;

/** {@code feed}: the regulators' live alert page, HTTP API and event stream over the alerts topic. */
final class FeedCommand implements Command {
    @Override
    public String name() {
        return "feed";
    }

    @Override
    public String summary() {
        return "serve the live alert page, HTTP API and event stream, with per-region access";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()));
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        TracewatchConfig config = ConfigOptions.load(args);
        Ports.requireFree("feed.port", config.feed().port());
        AccessTokens tokens = AccessTokens.load(config.feed().tokensFile(), System.getenv());
        java.util.Properties client = KafkaClientProperties.load(config.kafka());
        java.util.List<String> topics = new java.util.ArrayList<>(java.util.List.of(config.kafka().alertsTopic(), config.kafka().casesTopic(),
                config.kafka().leadsTopic(), config.kafka().caseActionsTopic(), config.kafka().verifyRequestsTopic(), config.kafka().verificationsTopic()));
        if (config.reference().enabled()) {
            topics.add(config.kafka().partiesTopic());
        }
        KafkaPreflight.check(config.kafka(), client, topics);
        try (StopSignal stop = StopSignal.install();
                FeedBackend backend = FeedBackend.start(config, client);
                FeedServer server = FeedServer.start(config.feed(), backend.data(), tokens, new AuditLog(config.feed().audit()), backend, backend,
                        err::println)) {
            out.printf("tracewatch feed: %s://%s:%d/ (from %s at %s; audit log %s; Ctrl-C stops)%n", config.feed().tls().enabled() ? "https" : "http",
                    config.feed().bindHost(), server.port(), config.kafka().alertsTopic(), config.kafka().bootstrapServers(), config.feed().audit().file());
            stop.await();
        }
        return 0;
    }
}
