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
import io.tracewatch.testing.ExactOutput;
import io.tracewatch.testing.JobTopics;
import io.tracewatch.testing.LiveJobCluster;
import io.tracewatch.testing.PipelineRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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
        CLUSTER.topics().sendLines(config.kafka().scansTopic(), live);
        List<Alert> alerts = historyThenTopic(alertsFile, config.kafka().alertsTopic(), AlertJson::decode,
                all -> ids(all).equals(replay.finalAlertIds()), Duration.ofSeconds(120));
        List<CaseRecord> cases = historyThenTopic(casesFile, config.kafka().casesTopic(), line -> RecordJson.decode(line, CaseRecord.class),
                all -> PipelineRun.caseMembership(all).equals(replay.finalCaseMembership()), Duration.ofSeconds(60));
        List<Lead> leads = historyThenTopic(leadsFile, config.kafka().leadsTopic(), line -> RecordJson.decode(line, Lead.class),
                all -> PipelineRun.finalLeads(all).keySet().equals(replay.finalLeads().keySet()), Duration.ofSeconds(60));
        job.cancel().get();

        assertThat(ids(alerts)).isEqualTo(replay.finalAlertIds());
        assertThat(alerts.size()).as("alerts raised by the live job").isGreaterThan(Files.readAllLines(alertsFile).size());
        assertThat(PipelineRun.caseMembership(cases)).isEqualTo(replay.finalCaseMembership());
        assertThat(PipelineRun.finalLeads(leads).keySet()).isEqualTo(replay.finalLeads().keySet());
        ExactOutput.assertEachRecordOnce(alerts);
    }

    /** The records of the history's file, then those of the live job's topic, read until {@code done} holds for them all. */
    private static <T> List<T> historyThenTopic(Path file, String topic, Function<String, T> decode, Predicate<List<T>> done, Duration timeout)
            throws IOException {
        List<T> records = new ArrayList<>();
        Files.readAllLines(file).forEach(line -> records.add(decode.apply(line)));
        int fromHistory = records.size();
        CLUSTER.topics().readUntil(topic, read -> {
            records.subList(fromHistory, records.size()).clear();
            read.forEach(r -> records.add(decode.apply(new String(r.value(), StandardCharsets.UTF_8))));
            return done.test(records);
        }, timeout);
        return records;
    }

    private static Set<String> ids(List<Alert> alerts) {
        Set<String> ids = new TreeSet<>();
        FinalAlerts.of(alerts).standing().forEach(a -> ids.add(a.getAlertId()));
        return ids;
    }
}
