package io.tracewatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.model.Alert;
import io.tracewatch.testing.KafkaTopics;
import io.tracewatch.testing.LiveJobCluster;
import io.tracewatch.testing.PipelineRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay gives what the live job gives: the same generated events, shuffled within the ordering
 * delay and far beyond it, end in the same final alerts (by alert_id) through batch replay,
 * streaming replay, the Kafka streaming job and a replay of the Kafka topic.
 */
class ReplayEquivalenceTest {
    @RegisterExtension
    static final LiveJobCluster CLUSTER = new LiveJobCluster(4);

    @TempDir
    static Path dir;
    private static List<String> lines;
    private static Path scans;

    @BeforeAll
    static void setUp() throws Exception {
        List<ScanGenerator.GeneratedScan> traffic = new ArrayList<>();
        new ScanGenerator(ScanGenerator.Settings.defaults(77, 600).withAnomalyRate(0.3).withLateRate(0.05), label -> {})
                .forEachRemaining(traffic::add);
        lines = shuffled(traffic, new Random(77));
        scans = dir.resolve("scans.jsonl");
        Files.write(scans, lines);
    }

    /** Nudges every upload by up to a few seconds (within the ordering delay) and sends one in ten days early or late. */
    private static List<String> shuffled(List<ScanGenerator.GeneratedScan> traffic, Random random) {
        record Arrival(double at, String line) {}
        List<Arrival> arrivals = new ArrayList<>();
        for (ScanGenerator.GeneratedScan scan : traffic) {
            double at = scan.uploadEpochSecond() + random.nextDouble() * 4;
            if (random.nextInt(10) == 0) {
                at += (random.nextDouble() - 0.5) * 10 * 86_400;
            }
            arrivals.add(new Arrival(at, scan.json()));
        }
        arrivals.sort((a, b) -> Double.compare(a.at(), b.at()));
        return arrivals.stream().map(Arrival::line).toList();
    }

    @Test
    void batchReplayStreamingReplayTheKafkaJobAndAKafkaReplayAgree() throws Exception {
        TracewatchConfig config = TracewatchConfig.load(null, List.of(
                "kafka.bootstrap_servers=" + CLUSTER.kafka().bootstrapServers(),
                "kafka.idle_partition_timeout_ms=1000",
                "detection.max_judge_delay_ms=1000",
                "job.checkpoint_interval_ms=500",
                "job.checkpoint_dir=" + dir.resolve("checkpoints").toUri(),
                "job.savepoint_dir=" + dir.resolve("savepoints").toUri()));

        Set<String> batch = PipelineRun.of(config, RuntimeExecutionMode.BATCH, 2,
                Files.createDirectories(dir.resolve("batch")), scans).finalAlertIds();
        Set<String> streaming = PipelineRun.of(config, RuntimeExecutionMode.STREAMING, 2,
                Files.createDirectories(dir.resolve("streaming")), scans).finalAlertIds();
        assertThat(batch).hasSizeGreaterThan(100);
        assertThat(streaming).isEqualTo(batch);

        CLUSTER.kafka().createTopics(config.kafka(), 3);
        KafkaTopics topics = new KafkaTopics(CLUSTER.kafka().bootstrapServers());
        CLUSTER.topics().sendLines(config.kafka().scansTopic(), lines);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.streaming(config.job()));
        StreamingJob.build(env, config);
        JobClient job = env.executeAsync(StreamingJob.NAME);
        List<Alert> live = new ArrayList<>();
        CLUSTER.topics().readUntil(config.kafka().alertsTopic(), records -> {
            live.clear();
            records.forEach(r -> live.add(AlertJson.decode(new String(r.value(), StandardCharsets.UTF_8))));
            return ids(FinalAlerts.of(live)).equals(batch);
        }, Duration.ofSeconds(120));
        job.cancel().get();
        assertThat(ids(FinalAlerts.of(live))).isEqualTo(batch);

        Path fromTopic = dir.resolve("from-topic.jsonl");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = io.tracewatch.cli.MainAccess.run(new String[] {"replay", "--topic", config.kafka().scansTopic(),
                "--from", "earliest", "--to", "latest", "--output", fromTopic.toString(), "--quiet",
                "--set", "kafka.bootstrap_servers=" + CLUSTER.kafka().bootstrapServers()}, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(ids(FinalAlerts.read(fromTopic))).isEqualTo(batch);
    }

    private static Set<String> ids(FinalAlerts alerts) {
        return alerts.standing().stream().map(Alert::getAlertId).collect(Collectors.toCollection(TreeSet::new));
    }
}
