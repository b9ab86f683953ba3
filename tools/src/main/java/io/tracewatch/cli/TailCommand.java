package io.tracewatch.cli;

import io.tracewatch.feed.AlertFilter;
import io.tracewatch.feed.FeedBackend;
import io.tracewatch.feed.TopicFollower;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.io.kafka.KafkaClientProperties;
import io.tracewatch.io.kafka.KafkaPreflight;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.Lead;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;

/** {@code tail}: follows the alerts topic in the terminal, one line per alert record. */
final class TailCommand implements Command {
    /** How often tail asks whether Kafka still answers. */
    private static final Duration BROKER_CHECK = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "tail";
    }

    @Override
    public String summary() {
        return "follow the alerts topic (or --cases, --leads) in the terminal, one readable line per record";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()))
                .value("lang", "en|zh", Language.OPTION_HELP)
                .value("rule", "RULE", "only this rule")
                .value("cause", "CAUSE", "only duplicate sales of this cause: CODE_COLLISION, RESALE, SAME_PARTY or CLONED_CODE")
                .value("severity", "LEVEL", "only this severity")
                .value("region", "PREFIX", "only regions starting with this (e.g. 1201)")
                .value("party", "ID", "only alerts raised at this party")
                .value("code", "CODE", "only this traceability code")
                .value("from", "TIME", "start at records written since this instant (default: the topic's start)")
                .flag("cases", "follow the case records instead (filters: --rule, --cause, --severity, --code, --party, --region)")
                .flag("leads", "follow the insurance leads instead (filters: --rule, --code, --party, --region)")
                .flag("json", "print the raw records (JSON Lines) instead");
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        TracewatchConfig config = ConfigOptions.load(args);
        Language language = Language.of(args.get("lang", null), System.getenv());
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
        if (args.has("cases") && args.has("leads")) {
            throw new UsageException("give --cases or --leads, not both");
        }
        if (args.has("leads") && (filter.cause() != null || filter.severity() != null)) {
            throw new UsageException("--cause and --severity go with alerts and cases: a lead has neither");
        }
        KafkaSettings kafka = config.kafka();
        Properties client = KafkaClientProperties.load(kafka);
        String topic = args.has("cases") ? kafka.casesTopic() : args.has("leads") ? kafka.leadsTopic() : kafka.alertsTopic();
        KafkaPreflight.check(kafka, client, List.of(topic));
        long started = System.nanoTime();
        try (StopSignal stop = StopSignal.install()) {
            // a closed pipe (tail --json | head -2) ends the command instead of printing into nothing
            Consumer<String> print = line -> {
                out.println(line);
                if (out.checkError()) {
                    stop.request();
                }
            };
            TopicFollower<?> follower;
            if (args.has("cases")) {
                follower = new TopicFollower<>(kafka, client, kafka.casesTopic(), from,
                        FeedBackend.decoder(kafka, CaseRecord.class, b -> CaseRecord.getDecoder().decode(b)), record -> {
                    if (matches(filter, record)) {
                        print.accept(json ? RecordJson.encode(record) : AlertLine.format(record));
                    }
                });
            } else if (args.has("leads")) {
                follower = new TopicFollower<>(kafka, client, kafka.leadsTopic(), from,
                        FeedBackend.decoder(kafka, Lead.class, b -> Lead.getDecoder().decode(b)), lead -> {
                    if ((filter.rule() == null || filter.rule().equals(lead.getRule())) && (filter.code() == null || filter.code().equals(lead.getCode()))
                            && (filter.party() == null || filter.party().equals(lead.getFlaggedPartyId()))
                            && (filter.regionPrefix() == null || (lead.getFlaggedRegion() != null && lead.getFlaggedRegion().startsWith(filter.regionPrefix())))) {
                        print.accept(json ? RecordJson.encode(lead) : AlertLine.format(lead));
                    }
                });
            } else {
                follower = new TopicFollower<>(kafka, client, kafka.alertsTopic(), from, FeedBackend.alertDecoder(kafka), alert -> {
                    if (filter.matches(alert)) {
                        print.accept(json ? AlertJson.encode(alert) : AlertLine.format(alert, (System.nanoTime() - started) / 1e9, language));
                    }
                });
            }
            try (TopicFollower<?> following = follower.start()) {
                err.println("tracewatch tail: following " + topic + " at " + kafka.bootstrapServers() + " (Ctrl-C stops)");
                followUntilStopped(stop, kafka, client, err);
            }
        }
        return 0;
    }

    /** Waits for Ctrl-C, saying once when Kafka stops answering and once when it is back: the consumer would only wait, silently. */
    private static void followUntilStopped(StopSignal stop, KafkaSettings kafka, Properties client, PrintStream err) throws InterruptedException {
        boolean reachable = true;
        while (!stop.await(BROKER_CHECK)) {
            boolean now = KafkaPreflight.reachable(kafka, client);
            if (now != reachable) {
                err.println(now ? "tracewatch tail: Kafka at " + kafka.bootstrapServers() + " is back; following again"
                        : "tracewatch tail: Kafka at " + kafka.bootstrapServers() + " does not answer; waiting for it (Ctrl-C stops)");
                reachable = now;
            }
        }
    }

    /**
     * A case matches when it is the party's and region's, of the severity, has alerts of the rule,
     * and, asked for a cause or a code, one of its alerts listed has them.
     */
    static boolean matches(AlertFilter filter, CaseRecord record) {
        return (filter.party() == null || filter.party().equals(record.getPartyId()))
                && (filter.regionPrefix() == null || (record.getRegion() != null && record.getRegion().startsWith(filter.regionPrefix())))
                && (filter.severity() == null || record.getSeverity() != null && filter.severity().equals(record.getSeverity().name()))
                && (filter.rule() == null || record.getRules().containsKey(filter.rule()))
                && (filter.cause() == null && filter.code() == null || record.getAlerts().stream().anyMatch(alert ->
                        (filter.rule() == null || filter.rule().equals(alert.getRule()))
                                && (filter.cause() == null || filter.cause().equals(alert.getCause()))
                                && (filter.code() == null || filter.code().equals(alert.getCode()))));
    }
}
