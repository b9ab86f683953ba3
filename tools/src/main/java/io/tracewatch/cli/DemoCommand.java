package io.tracewatch.cli;

import io.tracewatch.config.FeedSettings;
import io.tracewatch.embedded.EmbeddedKafka;
import io.tracewatch.embedded.ScratchDirectory;
import io.tracewatch.embedded.Topics;
import io.tracewatch.feed.AccessTokens;
import io.tracewatch.feed.AuditLog;
import io.tracewatch.feed.CaseBoard;
import io.tracewatch.feed.FeedBackend;
import io.tracewatch.feed.FeedServer;
import io.tracewatch.generate.Label;
import io.tracewatch.generate.Recalls;
import io.tracewatch.generate.Register;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.generate.TrafficSender;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.kafka.KafkaClients;
import io.tracewatch.io.kafka.KafkaPreflight;
import io.tracewatch.job.FlinkSettings;
import io.tracewatch.job.StreamingJob;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.rules.RuleId;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code demo}: the whole system on one machine with nothing installed: a real Kafka broker and the
 * streaming job on an embedded Flink (RocksDB, checkpoints, exactly-once), fed generated traffic;
 * alerts are printed as a read_committed consumer sees them, then compared with the ground truth.
 */
final class DemoCommand implements Command {
    private static final Duration QUIET_BEFORE_SUMMARY = Duration.ofSeconds(20);
    /** Event time between the starts of two packs' lifecycles: spreads every kind of anomaly over the run. */
    private static final long CODE_SPACING_S = 900;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run everything locally: embedded Kafka, the streaming job, generated traffic, live alerts";
    }

    @Override
    public Options options() {
        return ConfigOptions.add(new Options(name(), summary()))
                .value("codes", "N", "packs to generate (default 2000; about 7 scans each)")
                .value("rate", "N", "scans sent per second (default 500)")
                .value("anomaly-rate", "R", "share of packs with an injected anomaly (default 0.05)")
                .value("seed", "N", "random seed of the traffic (default 1)")
                .value("web-port", "PORT", "port of the Flink web UI (default: 8081, or a free one)")
                .value("feed-port", "PORT", "port of the alert feed page (default: feed.port, or a free one)")
                .value("broker", "HOST:PORT", "use this Kafka broker (e.g. one `broker` started) instead of one in this process")
                .value("lang", "en|zh", Language.OPTION_HELP);
    }

    @Override
    public int run(Options.Parsed args, PrintStream out, PrintStream err) throws Exception {
        int codes = args.positiveInt("codes", 2000);
        int feedPort = args.has("feed-port") ? Ports.requireFree("--feed-port", args.port("feed-port")) : -1;
        int webPort = args.has("web-port") ? Ports.requireFree("--web-port", args.positiveInt("web-port", 8081)) : Ports.preferredOrFree(8081);
        int rate = args.positiveInt("rate", 500);
        double anomalyRate = args.share("anomaly-rate", 0.05);
        long seed = args.wholeNumber("seed", 1);
        Language language = Language.of(args.get("lang", null), System.getenv());
        // checkpoints, Kafka's data, the feed's audit log and Flink's files: all removed when the demo ends, Ctrl-C included
        ScratchDirectory work = ScratchDirectory.create("tracewatch-demo-", false);
        String external = args.get("broker", null);
        out.println(external == null ? "tracewatch demo: starting a Kafka broker (KRaft, in this process)..."
                : "tracewatch demo: on the Kafka broker at " + external + "...");
        // the scans this run sends and the alerts it raises, not those of an earlier run on the same broker
        long startedAt = System.currentTimeMillis();
        try (StopSignal stop = StopSignal.install(); work;
                EmbeddedKafka embedded = external == null ? EmbeddedKafka.start(work.path().resolve("kafka")) : null) {
            String bootstrap = external == null ? embedded.bootstrapServers() : external;
            if (external != null) {
                // one line within seconds, as the other commands say it, not a client's timeout a minute later
                KafkaPreflight.requireReachable(TracewatchConfig.load(null, List.of("kafka.bootstrap_servers=" + external)).kafka(),
                        new java.util.Properties());
            }
            List<String> settings = new ArrayList<>(List.of(
                    "kafka.bootstrap_servers=" + bootstrap,
                    "kafka.start_from=timestamp:" + startedAt,
                    "kafka.group_id=tracewatch-demo-" + startedAt,
                    "job.checkpoint_interval_ms=2000",
                    "job.checkpoint_dir=" + work.path().resolve("checkpoints").toUri(),
                    "job.savepoint_dir=" + work.path().resolve("savepoints").toUri(),
                    "detection.max_judge_delay_ms=3000",
                    "cases.emit_interval_ms=500",
                    "reference.enabled=true",
                    "feed.audit.file=" + work.path().resolve("feed-audit.jsonl")));
            settings.addAll(args.all("set"));
            TracewatchConfig config = ConfigOptions.load(args, settings);
            Topics.create(bootstrap, config.kafka());
            Map<TopicPartition, Long> alertsFrom = KafkaClients.endOffsets(bootstrap, config.kafka().alertsTopic());
            if (external != null) {
                // what an earlier run or a site left there is read with the demo's own: say so
                foundOnBroker(out, bootstrap, config.kafka());
            }
            // the register and the recall list of the generated world, known before the job judges any scan
            java.time.Instant trafficStart = ScanGenerator.Settings.defaults(seed, 1).start();
            int parties = publish(bootstrap, config.kafka().partiesTopic(), Register.of(seed, trafficStart), "party_id");
            int recalls = publish(bootstrap, config.kafka().recallsTopic(), Recalls.of(seed, trafficStart), "recall_id");

            Configuration flink = work.forFlink(FlinkSettings.streaming(config.job()));
            flink.set(RestOptions.PORT, webPort);
            flink.set(org.apache.flink.configuration.TaskManagerOptions.MANAGED_MEMORY_SIZE,
                    org.apache.flink.configuration.MemorySize.parse("512m"));
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
            StreamingJob.build(env, config);
            JobClient job = env.executeAsync(StreamingJob.NAME);
            out.printf("  Kafka:       %s (topics %s, %s, %s)%n", bootstrap,
                    config.kafka().scansTopic(), config.kafka().alertsTopic(), config.kafka().deadLetterTopic());
            out.printf("  Flink UI:    http://localhost:%d  (job %s, RocksDB, checkpoint every %d ms)%n",
                    webPort, job.getJobID(), config.job().checkpointIntervalMs());
            String token = demoToken();
            if (feedPort < 0) {
                feedPort = Ports.preferredOrFree(config.feed().port());
            }
            FeedBackend follower = FeedBackend.start(config, new java.util.Properties());
            FeedSettings feedSettings = new FeedSettings(config.feed().bindHost(), feedPort, config.feed().windowSize(), "",
                    config.feed().allowPlainHttp(), config.feed().maxStreamsPerToken(), config.feed().tls(), config.feed().audit());
            FeedServer feed = FeedServer.start(feedSettings, follower.data(), AccessTokens.parse(List.of("demo " + token + " read,handle *"), "demo"),
                    new AuditLog(config.feed().audit()), follower, follower, err::println);
            out.printf("  Register:    %d party versions on %s: UNLICENSED_CHANNEL and trusted regions are on%n", parties,
                    config.kafka().partiesTopic());
            out.printf("  Recalls:     %d recall versions on %s: RECALLED_PACK is on%n", recalls, config.kafka().recallsTopic());
            out.printf("  Feed:        http://localhost:%d/#token=%s  (cases first; a demo token that sees and handles every region)%n",
                    feed.port(), token);
            out.printf("  Traffic:     %d packs at %d scans/s, %.0f%% with an injected anomaly; Ctrl-C stops%n%n",
                    codes, rate, anomalyRate * 100);

            GroundTruth truth = new GroundTruth();
            AtomicLong sent = new AtomicLong();
            ScanGenerator generator = new ScanGenerator(new ScanGenerator.Settings(
                    seed, codes, anomalyRate, 0.02, 0.02, 0.002, ScanGenerator.Settings.defaults(seed, codes).start(),
                    CODE_SPACING_S, true), truth::generated);
            Thread producer = new Thread(() -> produce(bootstrap, config, generator, truth, rate, stop, sent), "demo-producer");
            producer.start();
            Map<String, Alert> last;
            try {
                last = followAlerts(bootstrap, alertsFrom, out, producer, truth, stop, language);
                producer.join();
                printSummary(out, truth.due(), last, sent.get(), stop.requested());
                if (!stop.requested()) {
                    printCases(out, follower.data().cases(), config.cases().emitIntervalMs());
                }
                if (System.console() != null && !stop.requested()) {
                    out.printf("%nThe job and the feed keep running: http://localhost:%d/#token=%s  (Ctrl-C stops)%n", feed.port(), token);
                    stop.await();
                }
            } finally {
                feed.close();
                follower.close();
                // cancelling aborts the job's open Kafka transactions
                job.cancel().get(StopSignal.GRACE.toMillis() / 2, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
        return 0;
    }

    /** Prints the reference data a broker already holds, which the job reads as well as the demo's. */
    private static void foundOnBroker(PrintStream out, String bootstrap, io.tracewatch.io.kafka.KafkaSettings kafka) {
        long parties = records(bootstrap, kafka.partiesTopic());
        long settings = records(bootstrap, kafka.settingsTopic());
        long recalls = records(bootstrap, kafka.recallsTopic());
        if (parties + settings + recalls > 0) {
            out.printf("  Found:       %s on %s, %s on %s, %s on %s, already on the broker: the job reads them with the demo's%n",
                    Terminal.count(parties, "record"), kafka.partiesTopic(), Terminal.count(settings, "record"), kafka.settingsTopic(),
                    Terminal.count(recalls, "record"), kafka.recallsTopic());
        }
    }

    private static long records(String bootstrap, String topic) {
        return KafkaClients.endOffsets(bootstrap, topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Publishes reference records of the generated world (its register, its recall list) to their
     * topic, keyed by the id each begins with; returns how many versions.
     */
    private static int publish(String bootstrap, String topic, List<String> records, String idField) throws Exception {
        try (var producer = KafkaClients.producer(bootstrap)) {
            for (String record : records) {
                String id = record.replaceFirst("^\\{\"" + idField + "\":\"([^\"]+)\".*", "$1");
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic,
                        id.getBytes(java.nio.charset.StandardCharsets.UTF_8), record.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        return records.size();
    }

    /** The cases the alerts made, by severity: what a regulator works through. */
    private static void printCases(PrintStream out, CaseBoard cases, long emitIntervalMs) throws InterruptedException {
        // the case stage writes a changed case at most once per interval
        Thread.sleep(emitIntervalMs * 3 + 500);
        List<CaseRecord> open = cases.matching(c -> c.getStatus() != io.tracewatch.model.CaseStatus.WITHDRAWN);
        Map<String, Long> bySeverity = new TreeMap<>();
        open.forEach(c -> bySeverity.merge(String.valueOf(c.getSeverity()), 1L, Long::sum));
        long alerts = open.stream().mapToLong(CaseRecord::getAlertCount).sum();
        out.printf("%ncases (risk items, one per party and month): %d, gathering %d standing alerts; by severity: %s%n",
                open.size(), alerts, bySeverity);
    }

    private static String demoToken() {
        byte[] random = new byte[18];
        new java.security.SecureRandom().nextBytes(random);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The generator's labels, each due once its trigger event has been sent. */
    private static final class GroundTruth {
        private final Map<String, List<Label>> byTrigger = new HashMap<>();
        private final Map<String, Label> due = new ConcurrentHashMap<>();

        void generated(Label label) {
            byTrigger.computeIfAbsent(label.triggerEventId(), id -> new ArrayList<>()).add(label);
        }

        void sent(String eventId) {
            List<Label> labels = byTrigger.remove(eventId);
            if (labels != null) {
                labels.forEach(l -> due.put(key(l.code(), l.rule(), l.triggerEventId()), l));
            }
        }

        Map<String, Label> due() {
            return due;
        }
    }

    private static void produce(String bootstrap, TracewatchConfig config, ScanGenerator generator, GroundTruth truth,
            int rate, StopSignal stop, AtomicLong sent) {
        try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(bootstrap)) {
            TrafficSender.send(generator, producer, config.kafka().scansTopic(), rate, scan -> {
                sent.incrementAndGet();
                if (scan.event() != null) {
                    truth.sent(scan.event().getEventId());
                }
            }, stop::requested);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Prints alerts as they become visible; returns the last record per alert_id. */
    private static Map<String, Alert> followAlerts(String bootstrap, Map<TopicPartition, Long> from, PrintStream out,
            Thread producer, GroundTruth truth, StopSignal stop, Language language) {
        Map<String, Alert> last = new HashMap<>();
        long started = System.nanoTime();
        long lastNews = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.committedReader(new java.util.Properties(), bootstrap)) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            while (!stop.requested()) {
                boolean news = false;
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    Alert alert = AlertJson.decode(new String(record.value(), StandardCharsets.UTF_8));
                    last.put(alert.getAlertId(), alert);
                    out.println(AlertLine.format(alert, (System.nanoTime() - started) / 1e9, language));
                    news = true;
                }
                if (news) {
                    lastNews = System.nanoTime();
                }
                boolean trafficDone = !producer.isAlive();
                if (trafficDone && (standing(last).equals(truth.due().keySet())
                        || System.nanoTime() - lastNews > QUIET_BEFORE_SUMMARY.toNanos())) {
                    break;
                }
            }
        }
        return last;
    }

    private static String key(String code, String rule, String trigger) {
        return code + " " + rule + " " + trigger;
    }

    private static Set<String> standing(Map<String, Alert> last) {
        Set<String> keys = new java.util.HashSet<>();
        last.values().stream().filter(a -> a.getStatus() == AlertStatus.RAISED)
                .forEach(a -> keys.add(key(a.getCode(), a.getRule(), a.getTriggerEventId())));
        return keys;
    }

    private static void printSummary(PrintStream out, Map<String, Label> expected, Map<String, Alert> last, long sent,
            boolean interrupted) {
        Set<String> found = standing(last);
        out.printf("%nsummary after %d scans sent: alerts standing against the generator's ground truth%n", sent);
        if (interrupted) {
            out.println("  (stopped early: scans of the last few seconds may not have been judged yet)");
        }
        out.printf("  %-22s %9s %7s %7s %11s%n", "rule", "expected", "found", "missed", "unexpected");
        Map<String, int[]> rows = new TreeMap<>();
        for (RuleId rule : RuleId.values()) {
            rows.put(rule.name(), new int[4]);
        }
        expected.forEach((key, label) -> {
            int[] row = rows.get(label.rule());
            row[0]++;
            if (found.contains(key)) {
                row[1]++;
            } else {
                row[2]++;
            }
        });
        for (String key : found) {
            if (!expected.containsKey(key)) {
                rows.get(key.split(" ")[1])[3]++;
            }
        }
        // the register's rule is judged against the demo's register, which the generator's labels know nothing of
        int[] register = rows.remove(RuleId.UNLICENSED_CHANNEL.name());
        rows.forEach((rule, row) -> out.printf("  %-22s %9d %7d %7d %11d%n", rule, row[0], row[1], row[2], row[3]));
        out.printf("  %-22s %d standing: parties the demo's register leaves out, suspends or licenses for less%n",
                RuleId.UNLICENSED_CHANNEL.name(), register[1] + register[3]);
        long duplicates = expected.values().stream().filter(l -> l.cause() != null).count();
        Map<String, String> causes = new java.util.HashMap<>();
        last.values().stream().filter(a -> a.getStatus() == AlertStatus.RAISED && a.getCause() != null)
                .forEach(a -> causes.put(key(a.getCode(), a.getRule(), a.getTriggerEventId()), a.getCause()));
        long causesAgree = expected.entrySet().stream().filter(e -> e.getValue().cause() != null && e.getValue().cause().equals(causes.get(e.getKey())))
                .count();
        out.printf("  %d of %d duplicate sales carry the cause the generator gave them%n", causesAgree, duplicates);
        long retracted = last.values().stream().filter(a -> a.getStatus() == AlertStatus.RETRACTED).count();
        out.printf("  %d alerts were raised and later retracted after late uploads%n", retracted);
    }
}
