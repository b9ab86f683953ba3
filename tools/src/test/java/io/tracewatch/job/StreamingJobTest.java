package io.tracewatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.generate.Label;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.io.codec.ScanEventAvro;
import io.tracewatch.io.codec.ScanEventJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.CaseStatus;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.Lead;
import io.tracewatch.model.Verification;
import io.tracewatch.testing.ExactOutput;
import io.tracewatch.testing.JobTopics;
import io.tracewatch.testing.LiveJobCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job on a Flink MiniCluster against a real Kafka broker (KRaft, in-process):
 * exactly-once alerts, dead letters, Avro and JSON formats, idle partitions.
 */
class StreamingJobTest {
    @RegisterExtension
    static final LiveJobCluster CLUSTER = new LiveJobCluster(4);

    @TempDir
    static Path checkpoints;

    /** Topics and settings of one test's job, so tests do not see each other's records. */
    private static TracewatchConfig config(String name, String... overrides) throws Exception {
        List<String> settings = JobTopics.settings(CLUSTER.kafka(), name, 3, checkpoints);
        settings.add("job.checkpoint_interval_ms=500");
        settings.addAll(List.of(overrides));
        return TracewatchConfig.load(null, settings);
    }

    private static JobClient start(TracewatchConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.streaming(config.job()));
        StreamingJob.build(env, config);
        return env.executeAsync(StreamingJob.NAME);
    }

    private static Alert alert(ConsumerRecord<byte[], byte[]> record) {
        return AlertJson.decode(new String(record.value(), StandardCharsets.UTF_8));
    }

    @Test
    void alertsMatchTheGroundTruthAndReachReadCommittedConsumersExactlyOnce() throws Exception {
        TracewatchConfig config = config("e2e");
        List<Label> labels = new ArrayList<>();
        List<ScanGenerator.GeneratedScan> traffic = new ArrayList<>();
        new ScanGenerator(ScanGenerator.Settings.defaults(21, 300).withAnomalyRate(0.3).withLateRate(0.05), labels::add)
                .forEachRemaining(traffic::add);
        Set<String> expected = ExactOutput.expected(labels);

        JobClient job = start(config);
        CLUSTER.topics().sendScans(config.kafka().scansTopic(), traffic);
        ExactOutput.awaitAlerts(CLUSTER.topics(), config.kafka().alertsTopic(), expected, Duration.ofSeconds(120));
        job.cancel().get();

        // `tracewatch tail | head`: a closed pipe ends tail instead of leaving it printing into nothing
        PrintStream closedPipe = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        }, true);
        int tailed = io.tracewatch.cli.MainAccess.run(new String[] {"tail", "--json", "--set", "kafka.bootstrap_servers=" + CLUSTER.kafka().bootstrapServers(),
                "--set", "kafka.alerts_topic=" + config.kafka().alertsTopic()}, closedPipe, new PrintStream(OutputStream.nullOutputStream()));
        assertThat(tailed).isZero();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = CLUSTER.topics().readUntil(config.kafka().deadLetterTopic(),
                records -> records.size() >= traffic.stream().filter(s -> s.event() == null).count(), Duration.ofSeconds(30));
        assertThat(deadLetters).hasSize((int) traffic.stream().filter(s -> s.event() == null).count());
    }

    @Test
    void casesAndLeadsReachTheirTopicsAndActionsOnTheActionTopicAreAppliedOrRefused() throws Exception {
        TracewatchConfig config = config("cases", "detection.max_judge_delay_ms=500", "cases.emit_interval_ms=200");
        JobClient job = start(config);
        String sale = "{\"event_id\":\"c1\",\"code\":\"86123450000000000888\",\"event_type\":\"SELL\",\"event_time\":\"2026-03-01T10:00:00+08:00\","
                + "\"party_id\":\"PH-120101-0001\",\"party_type\":\"PHARMACY\",\"region\":\"120101\",\"pack_size\":24,\"transaction_id\":\"T1\"}";
        String settle = sale.replace("c1", "c2").replace("SELL", "SETTLE").replace("T10:00", "T10:01");
        String resale = sale.replace("c1", "c3").replace("SELL", "RECEIVE").replace("2026-03-01", "2026-03-09")
                .replace("PH-120101-0001", "PH-120102-0002").replace("\"transaction_id\":\"T1\"", "\"counterparty_id\":\"DS-120000-0007\"");
        try (KafkaProducer<byte[], byte[]> producer = CLUSTER.topics().producer()) {
            for (String line : List.of(sale, settle, resale)) {
                CLUSTER.topics().send(producer, config.kafka().scansTopic(), null, "86123450000000000888", line.getBytes(StandardCharsets.UTF_8));
            }
        }
        String caseId = "PH-120102-0002@2026-03";
        List<CaseRecord> cases = new ArrayList<>();
        CLUSTER.topics().readUntil(config.kafka().casesTopic(), records -> {
            cases.clear();
            records.forEach(r -> cases.add(RecordJson.decode(new String(r.value(), StandardCharsets.UTF_8), CaseRecord.class)));
            return cases.stream().anyMatch(c -> c.getCaseId().equals(caseId) && c.getAlertCount() == 2);
        }, Duration.ofSeconds(60));
        assertThat(cases).filteredOn(c -> c.getCaseId().equals(caseId)).last()
                .satisfies(c -> assertThat(c.getRules()).containsOnlyKeys("POST_DISPENSE_RESALE", "IMPOSSIBLE_ROUTE"));
        List<ConsumerRecord<byte[], byte[]>> leads = CLUSTER.topics().readUntil(config.kafka().leadsTopic(), r -> !r.isEmpty(), Duration.ofSeconds(30));
        Lead lead = RecordJson.decode(new String(leads.get(0).value(), StandardCharsets.UTF_8), Lead.class);
        assertThat(lead.getRule()).isEqualTo("POST_DISPENSE_RESALE");
        assertThat(lead.getCaseId()).isEqualTo(caseId);
        assertThat(lead.getSettled()).extracting(s -> s.getEventType().name() + " " + s.getTransactionId()).containsExactly("SETTLE T1");

        try (KafkaProducer<byte[], byte[]> producer = CLUSTER.topics().producer()) {
            for (String action : List.of(
                    "{\"case_id\":\"" + caseId + "\",\"action\":\"CLOSE\",\"disposition\":\"CONFIRMED\",\"actor\":\"inspector-3\",\"at\":\"2026-04-01T09:00:00+08:00\"}",
                    "{\"case_id\":\"" + caseId + "\",\"action\":\"INVESTIGATE\",\"actor\":\"inspector-3\",\"at\":\"2026-04-01T09:05:00+08:00\"}",
                    "{\"case_id\":\"NOBODY@2026-03\",\"action\":\"INVESTIGATE\",\"actor\":\"inspector-3\",\"at\":\"2026-04-01T09:05:00+08:00\"}")) {
                CLUSTER.topics().send(producer, config.kafka().caseActionsTopic(), null, caseId, action.getBytes(StandardCharsets.UTF_8));
            }
        }
        CLUSTER.topics().readUntil(config.kafka().casesTopic(), records -> {
            cases.clear();
            records.forEach(r -> cases.add(RecordJson.decode(new String(r.value(), StandardCharsets.UTF_8), CaseRecord.class)));
            return cases.stream().anyMatch(c -> c.getStatus() == CaseStatus.CLOSED);
        }, Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> refused = CLUSTER.topics().readUntil(config.kafka().deadLetterTopic(), r -> r.size() >= 2, Duration.ofSeconds(30));
        job.cancel().get();

        assertThat(cases).filteredOn(c -> c.getCaseId().equals(caseId)).last().satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo(CaseStatus.CLOSED);
            assertThat(c.getDisposition()).hasToString("CONFIRMED");
            assertThat(c.getActions()).extracting(a -> a.getAction() + " " + a.getActor()).containsExactly("CLOSE inspector-3");
        });
        assertThat(refused).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .anySatisfy(v -> assertThat(v).contains("INVESTIGATE needs an OPEN case"))
                .anySatisfy(v -> assertThat(v).contains("no case NOBODY@2026-03"));
    }

    /**
     * A party with more alerts in a period than its case record can list in what the cases topic
     * takes: the record lists its first alerts, says so, and the job goes on (a record over the
     * topic's size once made every commit fail and the job restart for good).
     */
    @Test
    void aCaseOfMoreAlertsThanItsTopicTakesInOneRecordIsWrittenCut() throws Exception {
        TracewatchConfig config = config("big-case", "detection.max_judge_delay_ms=500", "cases.emit_interval_ms=200",
                "cases.max_record_bytes=65536");
        try (Admin admin = CLUSTER.kafka().admin()) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, config.kafka().casesTopic()),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "100000"), AlterConfigOp.OpType.SET)))).all().get();
        }
        JobClient job = start(config);
        int packs = 1_000;
        try (KafkaProducer<byte[], byte[]> producer = CLUSTER.topics().producer()) {
            for (int pack = 0; pack < packs; pack++) {
                String code = String.format("861234500000%08d", pack);
                for (String sale : List.of("a", "b")) {
                    String line = "{\"event_id\":\"big-" + pack + sale + "\",\"code\":\"" + code + "\",\"event_type\":\"SELL\","
                            + "\"event_time\":\"2026-03-0" + (sale.equals("a") ? 1 : 2) + "T10:00:00+08:00\",\"party_id\":\"PH-120101-0001\","
                            + "\"party_type\":\"PHARMACY\",\"pack_size\":24}";
                    CLUSTER.topics().send(producer, config.kafka().scansTopic(), null, code, line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        List<CaseRecord> cases = new ArrayList<>();
        CLUSTER.topics().readUntil(config.kafka().casesTopic(), records -> {
            cases.clear();
            records.forEach(r -> cases.add(RecordJson.decode(new String(r.value(), StandardCharsets.UTF_8), CaseRecord.class)));
            return cases.stream().anyMatch(c -> c.getAlertCount() == packs);
        }, Duration.ofSeconds(90));
        job.cancel().get();

        CaseRecord whole = cases.stream().filter(c -> c.getAlertCount() == packs).findFirst().orElseThrow();
        assertThat(whole.getRules()).containsExactly(Map.entry("DUPLICATE_SALE", packs));
        assertThat(whole.getAlertsTruncated()).isTrue();
        assertThat(whole.getAlerts()).hasSizeBetween(100, packs - 1);
        assertThat(RecordJson.encode(whole).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(65_536);
    }

    @Test
    void aRegisterVersionASettingsVersionAndARecallArrivingWhileTheJobRunsApplyToTheEventsTheyCover() throws Exception {
        TracewatchConfig config = config("reference", "detection.max_judge_delay_ms=500", "reference.enabled=true");
        try (KafkaProducer<byte[], byte[]> producer = CLUSTER.topics().producer()) {
            CLUSTER.topics().send(producer, config.kafka().partiesTopic(), null, "PH-120101-0001", ("{\"party_id\":\"PH-120101-0001\","
                    + "\"version_time\":\"2020-01-01T00:00:00+08:00\",\"party_type\":\"PHARMACY\",\"region\":\"120199\",\"status\":\"ACTIVE\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        JobClient job = start(config);
        String sale = "{\"event_id\":\"r1\",\"code\":\"86123450000000000999\",\"event_type\":\"SELL\",\"event_time\":\"2026-03-01T10:00:00+08:00\","
                + "\"party_id\":\"PH-120101-0001\",\"party_type\":\"PHARMACY\",\"region\":\"120101\"}";
        try (KafkaProducer<byte[], byte[]> producer = CLUSTER.topics().producer()) {
            CLUSTER.topics().send(producer, config.kafka().scansTopic(), null, "86123450000000000999", sale.getBytes(StandardCharsets.UTF_8));
            // published while the job runs, ahead of the events they cover
            CLUSTER.topics().send(producer, config.kafka().partiesTopic(), null, "PH-120101-0001", ("{\"party_id\":\"PH-120101-0001\","
                    + "\"version_time\":\"2026-03-05T00:00:00+08:00\",\"party_type\":\"PHARMACY\",\"region\":\"120199\",\"status\":\"SUSPENDED\"}")
                    .getBytes(StandardCharsets.UTF_8));
            CLUSTER.topics().send(producer, config.kafka().settingsTopic(), null, "s1", ("{\"settings_id\":\"s1\",\"version_time\":\"2026-03-05T00:00:00+08:00\","
                    + "\"actor\":\"regulator\",\"severity\":{\"UNLICENSED_CHANNEL\":\"CRITICAL\"}}").getBytes(StandardCharsets.UTF_8));
            CLUSTER.topics().send(producer, config.kafka().recallsTopic(), null, "RC-TEST-1", ("{\"recall_id\":\"RC-TEST-1\","
                    + "\"version_time\":\"2026-03-05T00:00:00+08:00\",\"product_code\":\"8612345\",\"batches\":[\"AMX-BAD\"],\"level\":1,"
                    + "\"status\":\"ACTIVE\"}").getBytes(StandardCharsets.UTF_8));
            producer.flush();
            Thread.sleep(3000);
            CLUSTER.topics().send(producer, config.kafka().scansTopic(), null, "86123450000000000999",
                    sale.replace("r1", "r2").replace("2026-03-01", "2026-03-06").getBytes(StandardCharsets.UTF_8));
            CLUSTER.topics().send(producer, config.kafka().scansTopic(), null, "86123450000000000998", sale.replace("r1", "r3")
                    .replace("2026-03-01", "2026-03-06").replace("0999", "0998").replace("}", ",\"batch\":\"AMX-BAD\"}").getBytes(StandardCharsets.UTF_8));
        }
        List<Alert> alerts = new ArrayList<>();
        CLUSTER.topics().readUntil(config.kafka().alertsTopic(), records -> {
            alerts.clear();
            records.forEach(r -> alerts.add(alert(r)));
            // two codes, so two keys whose alerts come in either order
            return alerts.stream().anyMatch(a -> a.getRule().equals("UNLICENSED_CHANNEL") && a.getTriggerEventId().equals("r2"))
                    && alerts.stream().anyMatch(a -> a.getRule().equals("RECALLED_PACK"));
        }, Duration.ofSeconds(60));
        job.cancel().get();

        // a recall published while the job runs applies to the sales it covers
        assertThat(alerts).filteredOn(a -> a.getRule().equals("RECALLED_PACK")).singleElement().satisfies(a -> {
            assertThat(a.getTriggerEventId()).isEqualTo("r3");
            assertThat(a.getRecallId()).isEqualTo("RC-TEST-1");
            assertThat(a.getSeverity()).as("a level 1 recall").hasToString("CRITICAL");
            assertThat(a.getExplanation()).contains("RC-TEST-1", "level 1");
        });
        assertThat(alerts).filteredOn(a -> a.getRule().equals("UNLICENSED_CHANNEL") && !a.getTriggerEventId().equals("r3")).singleElement().satisfies(a -> {
            assertThat(a.getTriggerEventId()).isEqualTo("r2");
            assertThat(a.getSeverity()).hasToString("CRITICAL");
            assertThat(a.getRuleVersion()).endsWith("@s1");
            assertThat(a.getRegion()).isEqualTo("120199");
            assertThat(a.getRegionSource()).isEqualTo("register");
            assertThat(a.getExplanation()).contains("SUSPENDED");
        });
        assertThat(alerts).filteredOn(a -> a.getTriggerEventId().equals("r1") && a.getRule().equals("UNLICENSED_CHANNEL")).isEmpty();
    }

    @Test
    void verificationRequestsOnTheirTopicAreAnsweredFromTheCodesState() throws Exception {
        TracewatchConfig config = config("verify", "detection.max_judge_delay_ms=500");
        JobClient job = start(config);
        String ship = "{\"event_id\":\"v1\",\"code\":\"86123450000000000555\",\"event_type\":\"SHIP\",\"event_time\":\"2026-03-01T10:00:00+08:00\","
                + "\"party_id\":\"DS-120000-0001\",\"party_type\":\"DISTRIBUTOR\",\"counterparty_id\":\"PH-120101-0001\"}";
        String sale = "{\"event_id\":\"v2\",\"code\":\"86123450000000000555\",\"event_type\":\"SELL\",\"event_time\":\"2026-03-02T10:00:00+08:00\","
                + "\"party_id\":\"PH-120101-0001\",\"party_type\":\"PHARMACY\"}";
        try (KafkaProducer<byte[], byte[]> producer = CLUSTER.topics().producer()) {
            CLUSTER.topics().send(producer, config.kafka().scansTopic(), null, "86123450000000000555", ship.getBytes(StandardCharsets.UTF_8));
            CLUSTER.topics().send(producer, config.kafka().scansTopic(), null, "86123450000000000555", sale.getBytes(StandardCharsets.UTF_8));
            producer.flush();
            Thread.sleep(2000);
            for (String code : List.of("86123450000000000555", "86123450000000000556")) {
                CLUSTER.topics().send(producer, config.kafka().verifyRequestsTopic(), null, code, ("{\"request_id\":\"q-" + code + "\",\"code\":\"" + code
                        + "\",\"requested_by\":\"insurance-tj\",\"reason\":\"settled twice\"}").getBytes(StandardCharsets.UTF_8));
            }
        }
        List<Verification> answers = new ArrayList<>();
        CLUSTER.topics().readUntil(config.kafka().verificationsTopic(), records -> {
            answers.clear();
            records.forEach(r -> answers.add(RecordJson.decode(new String(r.value(), StandardCharsets.UTF_8), Verification.class)));
            return answers.size() >= 2;
        }, Duration.ofSeconds(60));
        // the inspector's command, against the same running job, long after the scans topic went idle
        // (CLUSTER.kafka().idle_partition_timeout_ms): requests and reference data must not carry event time
        // forward on their own, or every code's cleanup timer would fire and the answer be "unknown"
        Thread.sleep(2000);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int verified = io.tracewatch.cli.MainAccess.run(new String[] {"verify", "--code", "86123450000000000555", "--timeout", "30",
                "--set", "kafka.bootstrap_servers=" + CLUSTER.kafka().bootstrapServers(), "--set", "kafka.verify_requests_topic=" + config.kafka().verifyRequestsTopic(),
                "--set", "kafka.verifications_topic=" + config.kafka().verificationsTopic()},
                new PrintStream(printed, true, StandardCharsets.UTF_8), new PrintStream(printed, true, StandardCharsets.UTF_8));
        job.cancel().get();
        assertThat(verified).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("code 86123450000000000555: 2 scans, upstream holders PH-120101-0001", "* ");

        assertThat(answers).filteredOn(v -> v.getCode().endsWith("555")).singleElement().satisfies(v -> {
            assertThat(v.getKnown()).isTrue();
            assertThat(v.getCustody()).extracting(c -> c.getEventId()).containsExactly("v1", "v2");
            assertThat(v.getUpstream()).containsExactly("PH-120101-0001");
            assertThat(v.getRequestedBy()).isEqualTo("insurance-tj");
        });
        assertThat(answers).filteredOn(v -> v.getCode().endsWith("556")).singleElement()
                .satisfies(v -> assertThat(v.getKnown()).isFalse());
    }

    @Test
    void generateSendsItsTrafficToATopicKeyedByCode() throws Exception {
        CLUSTER.kafka().createTopic("generated", 2);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = io.tracewatch.cli.MainAccess.run(new String[] {"generate", "--codes", "40", "--topic", "generated",
                "--labels", checkpoints.resolve("generated.labels.jsonl").toString(),
                "--set", "kafka.bootstrap_servers=" + CLUSTER.kafka().bootstrapServers()}, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        long expected = 0;
        var generator = new ScanGenerator(ScanGenerator.Settings.defaults(1, 40), label -> {});
        while (generator.hasNext()) {
            generator.next();
            expected++;
        }
        long records = expected;
        List<ConsumerRecord<byte[], byte[]>> received = CLUSTER.topics().readUntil("generated", r -> r.size() >= records, Duration.ofSeconds(30));
        assertThat(received).hasSize((int) expected);
        assertThat(received).filteredOn(r -> r.key() != null)
                .allSatisfy(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .contains("\"code\":\"" + new String(r.key(), StandardCharsets.UTF_8) + "\""));
    }

    @Test
    void runRefusesTopicsThatDoNotExistWithOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = io.tracewatch.cli.MainAccess.run(new String[] {"run", "--set", "kafka.bootstrap_servers=" + CLUSTER.kafka().bootstrapServers(),
                "--set", "kafka.scans_topic=no-such-topic"}, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("tracewatch run: configuration: Kafka topic no-such-topic does not exist")
                .doesNotContain("Exception");
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicAndTheJobKeepsDetecting() throws Exception {
        TracewatchConfig config = config("malformed", "detection.max_judge_delay_ms=500");
        JobClient job = start(config);
        String first = "{\"event_id\":\"m1\",\"code\":\"86123450000000000777\",\"event_type\":\"SELL\",\"event_time\":\"2026-03-01T10:00:00+08:00\","
                + "\"party_id\":\"PH-1\",\"party_type\":\"PHARMACY\",\"pack_size\":24}";
        String second = first.replace("m1", "m2").replace("T10:", "T11:").replace("PH-1", "PH-2");
        try (KafkaProducer<byte[], byte[]> producer = CLUSTER.topics().producer()) {
            String scans = config.kafka().scansTopic();
            CLUSTER.topics().send(producer, scans, 0, null, "{\"event_id\":".getBytes(StandardCharsets.UTF_8));
            CLUSTER.topics().send(producer, scans, 0, null, first.replace("SELL", "RECALL").getBytes(StandardCharsets.UTF_8));
            CLUSTER.topics().send(producer, scans, 0, null, new byte[] {(byte) 0xc3, 0x01, 0x02});
            CLUSTER.topics().send(producer, scans, 0, null, null);
            CLUSTER.topics().send(producer, scans, 0, "c", first.getBytes(StandardCharsets.UTF_8));
            CLUSTER.topics().send(producer, scans, 0, "c", second.getBytes(StandardCharsets.UTF_8));
        }
        List<ConsumerRecord<byte[], byte[]>> alerts = CLUSTER.topics().readUntil(config.kafka().alertsTopic(),
                records -> records.size() >= 2, Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> letters = CLUSTER.topics().readUntil(config.kafka().deadLetterTopic(),
                records -> records.size() >= 4, Duration.ofSeconds(30));
        job.cancel().get();

        assertThat(alerts).extracting(r -> alert(r).getRule() + "@" + alert(r).getTriggerEventId())
                .containsExactlyInAnyOrder("DUPLICATE_SALE@m2", "IMPOSSIBLE_ROUTE@m2");
        assertThat(letters).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .anySatisfy(v -> assertThat(v).contains("\"reason\":\"invalid JSON\"").contains("\"partition\":0"))
                .anySatisfy(v -> assertThat(v).contains("unknown event_type RECALL").contains("\"source\":\"malformed.scans\""))
                .hasSize(4);
    }

    @Test
    void aQuietPartitionDoesNotHoldBackTheWatermark() throws Exception {
        // only the watermark can judge here: the processing-time fallback is set far beyond the test
        TracewatchConfig config = config("idle", "detection.max_judge_delay_ms=600000", "detection.ordering_delay_ms=1000");
        JobClient job = start(config);
        String sale = "{\"event_id\":\"i1\",\"code\":\"86123450000000000888\",\"event_type\":\"SELL\",\"event_time\":\"2026-03-01T10:00:00+08:00\","
                + "\"party_id\":\"PH-1\",\"party_type\":\"PHARMACY\"}";
        String resale = sale.replace("i1", "i2").replace("T10:", "T11:");
        String later = sale.replace("i1", "i3").replace("0888", "0999").replace("T10:", "T18:");
        try (KafkaProducer<byte[], byte[]> producer = CLUSTER.topics().producer()) {
            // partitions 0 and 1 carry traffic, partition 2 never does
            CLUSTER.topics().send(producer, config.kafka().scansTopic(), 0, "a", sale.getBytes(StandardCharsets.UTF_8));
            CLUSTER.topics().send(producer, config.kafka().scansTopic(), 0, "a", resale.getBytes(StandardCharsets.UTF_8));
            CLUSTER.topics().send(producer, config.kafka().scansTopic(), 1, "b", later.getBytes(StandardCharsets.UTF_8));
            producer.flush();
            Thread.sleep(1500);
            CLUSTER.topics().send(producer, config.kafka().scansTopic(), 0, "a", later.replace("i3", "i4").getBytes(StandardCharsets.UTF_8));
            CLUSTER.topics().send(producer, config.kafka().scansTopic(), 1, "b", later.replace("i3", "i5").getBytes(StandardCharsets.UTF_8));
        }
        List<ConsumerRecord<byte[], byte[]>> alerts = CLUSTER.topics().readUntil(config.kafka().alertsTopic(),
                records -> !records.isEmpty(), Duration.ofSeconds(60));
        job.cancel().get();
        assertThat(alerts).extracting(r -> alert(r).getRule() + "@" + alert(r).getTriggerEventId())
                .containsExactly("DUPLICATE_SALE@i2");
    }

    @Test
    void avroScansInAvroAlertsOut() throws Exception {
        TracewatchConfig config = config("avro", "kafka.scan_format=avro", "kafka.alert_format=avro", "detection.max_judge_delay_ms=500");
        JobClient job = start(config);
        String sale = "{\"event_id\":\"a1\",\"code\":\"86123450000000000555\",\"event_type\":\"DISPENSE\",\"event_time\":\"2026-03-01T10:00:00+08:00\","
                + "\"party_id\":\"HOS-1\",\"party_type\":\"HOSPITAL\",\"transaction_id\":\"RX1\"}";
        String inbound = sale.replace("a1", "a2").replace("T10:", "T15:").replace("DISPENSE", "RECEIVE")
                .replace("HOS-1", "PH-9").replace("HOSPITAL", "PHARMACY");
        try (KafkaProducer<byte[], byte[]> producer = CLUSTER.topics().producer()) {
            for (String json : List.of(sale, inbound)) {
                CLUSTER.topics().send(producer, config.kafka().scansTopic(), 0, "k", ScanEventAvro.encode(ScanEventJson.decode(json).event()));
            }
            CLUSTER.topics().send(producer, config.kafka().scansTopic(), 0, "k", sale.getBytes(StandardCharsets.UTF_8));
        }
        List<ConsumerRecord<byte[], byte[]>> alerts = CLUSTER.topics().readUntil(config.kafka().alertsTopic(),
                records -> records.size() >= 2, Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> letters = CLUSTER.topics().readUntil(config.kafka().deadLetterTopic(),
                records -> !records.isEmpty(), Duration.ofSeconds(30));
        job.cancel().get();

        List<String> found = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : alerts) {
            Alert alert = Alert.getDecoder().decode(record.value());
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(alert.getCode());
            found.add(alert.getRule() + "@" + alert.getTriggerEventId());
        }
        assertThat(found).containsExactlyInAnyOrder("POST_DISPENSE_RESALE@a2", "IMPOSSIBLE_ROUTE@a2");
        assertThat(DeadLetter.getDecoder().decode(letters.get(0).value()).getReason()).startsWith("invalid Avro ScanEvent");
    }
}
