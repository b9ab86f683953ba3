package io.tracewatch.cli;

import io.tracewatch.config.TracewatchConfig;
import io.tracewatch.feed.AlertFilter;
import io.tracewatch.feed.FeedBackend;
import io.tracewatch.feed.TopicFollower;
import io.tracewatch.model.Alert;
import io.tracewatch.io.AlertJson;
import io.tracewatch.io.KafkaClientProperties;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/** {@code tail}: follows the alerts topic in the terminal, one line per alert record. */
final class TailCommand implements Command {
    @Override
    public String name() {
        return "tail";
    }

    @Override
    public String summary() {
        return "follow the alerts topic in the terminal, one readable line per alert";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()))
                .value("rule", "RULE", "only this rule")
                .value("severity", "LEVEL", "only this severity")
                .value("region", "PREFIX", "only regions starting with this (e.g. 1201)")
                .value("party", "ID", "only alerts raised at this party")
                .value("code", "CODE", "only this traceability code")
                .value("from", "TIME", "start at records written since this instant (default: the topic's start)")
                .flag("json", "print the raw alert records (JSON Lines) instead");
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        TracewatchConfig config = ConfigOptions.load(args);
        AlertFilter filter;
        Instant from;
        try {
            // --from picks where to start reading, by record time; the other filters pick alerts
            filter = AlertFilter.from(name -> name.equals("from") || name.equals("to") ? null : args.get(name, null));
            from = AlertFilter.instant(args.get("from", null), "--from");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        boolean json = args.has("json");
        long started = System.nanoTime();
        CountDownLatch stopped = new CountDownLatch(1);
        try (TopicFollower<Alert> follower = new TopicFollower<>(config.kafka(), KafkaClientProperties.load(config.kafka()),
                config.kafka().alertsTopic(), from, FeedBackend.alertDecoder(config.kafka()), alert -> {
            if (filter.matches(alert)) {
                out.println(json ? AlertJson.encode(alert) : AlertLine.format(alert, (System.nanoTime() - started) / 1e9));
            }
        }).start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            stopped.await();
        }
        return 0;
    }
}
