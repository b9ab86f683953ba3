package io.tracewatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.cli.MainAccess;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.Lead;
import io.tracewatch.testing.JobTopics;
import io.tracewatch.testing.LiveJobCluster;
import io.tracewatch.testing.PipelineRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A site that starts from its history: generated traffic split at an event time T, the history
 * before T bootstrapped into a savepoint, and the live job started from it (at another
 * parallelism) over the rest on a real broker, late uploads for codes of the history among them.
 * Together they end where one streaming replay of everything ends: the same final alerts by
 * alert_id, cases and leads, and no record written twice.
 */
class BootstrapEquivalenceTest {
    @RegisterExtension
    static final LiveJobCluster CLUSTER = new LiveJobCluster(4);

    @TempDir
    static Path dir;

    @Test
    void aBootstrappedHistoryThenTheLiveJobEndAsOneReplayOfEverything() throws Exception {
        List<ScanGenerator.GeneratedScan> traffic = new ArrayList<>();
        new ScanGenerator(ScanGenerator.Settings.defaults(91, 500).withAnomalyRate(0.3).withLateRate(0.05), label -> {})
                .forEachRemaining(traffic::add);
        List<Instant> times = traffic.stream().filter(s -> s.event() != null).map(s -> s.event().getEventTime()).sorted().toList();
        Instant split = times.get(times.size() * 3 / 5);
        Random random = new Random(91);
        List<String> history = new ArrayList<>();
        List<String> live = new ArrayList<>();
        Set<String> historyCodes = new TreeSet<>();
        for (ScanGenerator.GeneratedScan scan : traffic) {
            boolean before = scan.event() == null || scan.event().getEventTime().isBefore(split);
            // one scan of the history in eight is uploaded only once the live job runs: late, for a code the savepoint holds
            if (before && random.nextInt(8) != 0) {
                history.add(scan.json());
                if (scan.event() != null) {
                    historyCodes.add(scan.event().getCode());
                }
            } else {
                live.add(random.nextInt(live.size() + 1), scan.json());
            }
        }
        Path historyFile = Files.write(dir.resolve("history.jsonl"), history);
        List<String> everything = new ArrayList<>(history);
        everything.addAll(live);
        Path everythingFile = Files.write(dir.resolve("everything.jsonl"), everything);
        assertThat(live.stream().filter(line -> historyCodes.stream().anyMatch(line::contains)).count()).isGreaterThan(50);

        List<String> settings = JobTopics.settings(CLUSTER.kafka(), "bootstrap", 2, dir);
        settings.addAll(List.of("detection.max_judge_delay_ms=1000", "job.checkpoint_interval_ms=500", "job.parallelism=3"));
        TracewatchConfig config = TracewatchConfig.load(null, settings);
        PipelineRun replay = PipelineRun.of(config, RuntimeExecutionMode.STREAMING, 2, Files.createDirectories(dir.resolve("replay")), everythingFile);
        assertThat(replay.finalAlertIds()).hasSizeGreaterThan(80);

        Path savepoint = dir.resolve("savepoint");
        Path alertsFile = dir.resolve("history-alerts.jsonl");
        Path casesFile = dir.resolve("history-cases.jsonl");
        Path leadsFile = dir.resolve("history-leads.jsonl");
        List<String> args = new ArrayList<>(List.of("bootstrap", "--input", historyFile.toString(), "--savepoint", savepoint.toString(),
                "--alerts", alertsFile.toString(), "--cases", casesFile.toString(), "--leads", leadsFile.toString(), "--parallelism", "2", "--quiet"));
        settings.forEach(s -> args.addAll(List.of("--set", s)));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(MainAccess.run(args.toArray(String[]::new), new PrintStream(err, true, StandardCharsets.UTF_8)))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();

        StreamExecutionEnvironment env = StreamingJob.prepare(config, System.out, savepoint.toUri().toString());
        JobClient job = env.executeAsync(StreamingJob.NAME);
        try (KafkaProducer<byte[], byte[]> producer = CLUSTER.topics().producer()) {
            for (String line : live) {
                String code = line.replaceFirst(".*\"code\":\"([0-9A-Za-z]+)\".*", "$1");
                CLUSTER.topics().send(producer, config.kafka().scansTopic(), null, code.equals(line) ? null : code, line.getBytes(StandardCharsets.UTF_8));
            }
        }
        List<Alert> alerts = new ArrayList<>();
        Files.readAllLines(alertsFile).forEach(line -> alerts.add(AlertJson.decode(line)));
        int fromHistory = alerts.size();
        CLUSTER.topics().readUntil(config.kafka().alertsTopic(), records -> {
            alerts.subList(fromHistory, alerts.size()).clear();
            records.forEach(r -> alerts.add(AlertJson.decode(new String(r.value(), StandardCharsets.UTF_8))));
            return ids(alerts).equals(replay.finalAlertIds());
        }, Duration.ofSeconds(120));
        List<CaseRecord> cases = new ArrayList<>();
        Files.readAllLines(casesFile).forEach(line -> cases.add(RecordJson.decode(line, CaseRecord.class)));
        int casesFromHistory = cases.size();
        CLUSTER.topics().readUntil(config.kafka().casesTopic(), records -> {
            cases.subList(casesFromHistory, cases.size()).clear();
            records.forEach(r -> cases.add(RecordJson.decode(new String(r.value(), StandardCharsets.UTF_8), CaseRecord.class)));
            return PipelineRun.caseMembership(cases).equals(replay.finalCaseMembership());
        }, Duration.ofSeconds(60));
        List<Lead> leads = new ArrayList<>();
        Files.readAllLines(leadsFile).forEach(line -> leads.add(RecordJson.decode(line, Lead.class)));
        int leadsFromHistory = leads.size();
        CLUSTER.topics().readUntil(config.kafka().leadsTopic(), records -> {
            leads.subList(leadsFromHistory, leads.size()).clear();
            records.forEach(r -> leads.add(RecordJson.decode(new String(r.value(), StandardCharsets.UTF_8), Lead.class)));
            return PipelineRun.finalLeads(leads).keySet().equals(replay.finalLeads().keySet());
        }, Duration.ofSeconds(60));
        job.cancel().get();

        assertThat(ids(alerts)).isEqualTo(replay.finalAlertIds());
        assertThat(alerts.size()).as("alerts raised by the live job").isGreaterThan(fromHistory);
        assertThat(PipelineRun.caseMembership(cases)).isEqualTo(replay.finalCaseMembership());
        assertThat(PipelineRun.finalLeads(leads).keySet()).isEqualTo(replay.finalLeads().keySet());
        Map<String, String> previous = new HashMap<>();
        for (Alert alert : alerts) {
            String content = AlertJson.encode(alert).replaceAll("\"detected_at\":\"[^\"]*\",?", "");
            assertThat(content).as("record of %s written twice", alert.getAlertId()).isNotEqualTo(previous.put(alert.getAlertId(), content));
        }
    }

    private static Set<String> ids(List<Alert> alerts) {
        Set<String> ids = new TreeSet<>();
        FinalAlerts.of(alerts).standing().forEach(a -> ids.add(a.getAlertId()));
        return ids;
    }
}
