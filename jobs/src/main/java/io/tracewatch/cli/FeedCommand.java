package io.tracewatch.cli;

import io.tracewatch.config.TracewatchConfig;
import io.tracewatch.feed.AccessTokens;
import io.tracewatch.feed.AlertFollower;
import io.tracewatch.feed.AlertWindow;
import io.tracewatch.feed.FeedServer;
import io.tracewatch.io.KafkaClientProperties;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

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
        AccessTokens tokens = AccessTokens.load(config.feed().tokensFile(), System.getenv());
        AlertWindow window = new AlertWindow(config.feed().windowSize());
        CountDownLatch stopped = new CountDownLatch(1);
        try (AlertFollower follower = new AlertFollower(config.kafka(), KafkaClientProperties.load(config.kafka()), null, window::apply).start();
                FeedServer server = FeedServer.start(config.feed(), tokens, window)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            out.printf("tracewatch feed: http://%s:%d/ (alerts from %s at %s; Ctrl-C stops)%n", config.feed().bindHost(), server.port(),
                    config.kafka().alertsTopic(), config.kafka().bootstrapServers());
            stopped.await();
        }
        return 0;
    }
}
