package io.tracewatch.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.generate.Label;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.kafka.KafkaClientProperties;
import io.tracewatch.io.kafka.KafkaOutputs;
import io.tracewatch.io.kafka.KafkaScanSource;
import io.tracewatch.io.ports.Inputs;
import io.tracewatch.io.ports.ScanSource;
import io.tracewatch.model.Alert;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.testing.ExactOutput;
import io.tracewatch.testing.JobTopics;
import io.tracewatch.testing.LiveJobCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live job through the faults of a job's life, on a MiniCluster against a real broker, exactly
 * once: rescaled through savepoints (2 → 4 → 1), and failing itself every N records as Flink's own
 * HA end-to-end test does. After each, a read_committed consumer sees the generator's ground truth,
 * no alert record twice and every dead letter once.
 */
class FaultToleranceTest {
    @RegisterExtension
    static final LiveJobCluster CLUSTER = new LiveJobCluster(4);

    /** Failures the failing map has thrown, in this JVM (the MiniCluster runs here). */
    private static final AtomicInteger FAILURES = new AtomicInteger();

    @TempDir
    static Path dir;
    private static List<ScanGenerator.GeneratedScan> traffic;
    private static Set<String> expected;
    private static long malformed;

    @BeforeAll
    static void start() throws Exception {
        List<Label> labels = new ArrayList<>();
        traffic = new ArrayList<>();
        new ScanGenerator(ScanGenerator.Settings.defaults(41, 400).withAnomalyRate(0.3).withLateRate(0.05), labels::add)
                .forEachRemaining(traffic::add);
        expected = ExactOutput.expected(labels);
        malformed = traffic.stream().filter(s -> s.event() == null).count();
    }

    /** @param more settings over the test's own, applied last */
    private static TracewatchConfig config(String name, int parallelism, String... more) throws Exception {
        List<String> settings = JobTopics.settings(CLUSTER.kafka(), name, 4, dir);
        settings.addAll(List.of("job.parallelism=" + parallelism, "job.checkpoint_interval_ms=500", "job.restart_delay_ms=200",
                "detection.max_judge_delay_ms=1000"));
        settings.addAll(List.of(more));
        return TracewatchConfig.load(null, settings);
    }

    private static JobClient run(TracewatchConfig config, ScanSource scans, String savepoint) throws Exception {
        Configuration flink = FlinkSettings.streaming(config.job());
        if (savepoint != null) {
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        Properties client = KafkaClientProperties.load(config.kafka());
        DetectionTopology.build(env, config, Inputs.of(scans), new KafkaOutputs(config.kafka(), client));
        return env.executeAsync(StreamingJob.NAME);
    }

    private static ScanSource kafkaScans(TracewatchConfig config) {
        return new KafkaScanSource(config.kafka(), KafkaClientProperties.load(config.kafka()));
    }

    private static void send(TracewatchConfig config, List<ScanGenerator.GeneratedScan> scans) {
        CLUSTER.topics().sendScans(config.kafka().scansTopic(), scans);
    }

    /** The alert records once the standing set is the ground truth, checked for duplicates, and the dead letters. */
    private static List<Alert> finalAlerts(TracewatchConfig config) {
        List<Alert> alerts = ExactOutput.awaitAlerts(CLUSTER.topics(), config.kafka().alertsTopic(), expected, Duration.ofSeconds(120));
        ExactOutput.assertDeadLettersOnce(CLUSTER.topics(), config.kafka().deadLetterTopic(), malformed);
        return alerts;
    }

    private static Map<String, String> finalContent(List<Alert> alerts) {
        Map<String, String> content = new TreeMap<>();
        ExactOutput.lastRecords(alerts).forEach((id, alert) -> content.put(id, AlertJson.encode(alert).replaceAll("\"detected_at\":\"[^\"]*\",?", "")));
        return content;
    }

    @Test
    void rescaledThroughSavepointsTheAlertsAreThoseOfARunWithoutRescaling() throws Exception {
        int third = traffic.size() / 3;
        TracewatchConfig rescaled = config("rescaled", 2);
        String savepoints = dir.resolve("rescaled-savepoints").toUri().toString();
        JobClient first = run(rescaled, kafkaScans(rescaled), null);
        send(rescaled, traffic.subList(0, third));
        Thread.sleep(3000);
        String atTwo = first.stopWithSavepoint(false, savepoints, SavepointFormatType.CANONICAL).get();

        TracewatchConfig atFourConfig = config("rescaled", 4);
        JobClient second = run(atFourConfig, kafkaScans(atFourConfig), atTwo);
        send(rescaled, traffic.subList(third, 2 * third));
        Thread.sleep(3000);
        String atFour = second.stopWithSavepoint(false, savepoints, SavepointFormatType.CANONICAL).get();

        TracewatchConfig atOneConfig = config("rescaled", 1);
        JobClient third_ = run(atOneConfig, kafkaScans(atOneConfig), atFour);
        send(rescaled, traffic.subList(2 * third, traffic.size()));
        List<Alert> rescaledAlerts = finalAlerts(rescaled);
        third_.cancel().get();

        TracewatchConfig steady = config("steady", 2);
        JobClient unchanged = run(steady, kafkaScans(steady), null);
        send(steady, traffic);
        List<Alert> steadyAlerts = finalAlerts(steady);
        unchanged.cancel().get();

        assertSameContent(finalContent(rescaledAlerts), finalContent(steadyAlerts));
    }

    /** Equal, alert for alert; what differs is shown side by side. */
    private static void assertSameContent(Map<String, String> actual, Map<String, String> expected) {
        java.util.Set<String> ids = new java.util.TreeSet<>(actual.keySet());
        ids.addAll(expected.keySet());
        List<String> differing = ids.stream().filter(id -> !java.util.Objects.equals(actual.get(id), expected.get(id)))
                .map(id -> id + "\n  got:      " + actual.get(id) + "\n  expected: " + expected.get(id)).toList();
        assertThat(differing).as("alerts whose last record differs").isEmpty();
    }

    @Test
    void aJobThatFailsItselfEveryFewHundredRecordsEndsExact() throws Exception {
        failEveryFewHundredRecords(config("self-failing", 2));
    }

    /**
     * A failure between buffering and judging: an ordering delay of ten years keeps the watermark
     * behind every scan, so each waits in the detector's arrival buffer for its 4 s wait, and the
     * checkpoints every 500 ms hold the buffer (about 1,200 scans per subtask). The job fails 1.2 s
     * into its first attempt, while they wait, and restores them from the last checkpoint.
     */
    @Test
    void aJobThatFailsWhileScansWaitInItsArrivalBufferEndsExact() throws Exception {
        TracewatchConfig config = config("failing-buffered", 2, "detection.ordering_delay_ms=315360000000", "detection.max_judge_delay_ms=4000");
        failing(config, new FailOnceAfter(1200), 1);
    }

    private void failEveryFewHundredRecords(TracewatchConfig config) throws Exception {
        failing(config, new FailEveryRecords(150, 5), 3);
    }

    private void failing(TracewatchConfig config, RichMapFunction<Ingested, Ingested> failure, int minFailures) throws Exception {
        ScanSource kafka = kafkaScans(config);
        ScanSource failing = (env, watermarks, decoder) -> {
            var scans = kafka.create(env, watermarks, decoder);
            return scans.map(failure).returns(scans.getType()).name("fail on purpose");
        };
        FAILURES.set(0);
        JobClient job = run(config, failing, null);
        int part = traffic.size() / 4;
        for (int from = 0; from < traffic.size(); from += part) {
            send(config, traffic.subList(from, Math.min(from + part, traffic.size())));
            Thread.sleep(700);
        }
        finalAlerts(config);
        job.cancel().get();
        System.out.printf("self-failing job: %d failures thrown, %d scans%n", FAILURES.get(), traffic.size());
        assertThat(FAILURES.get()).as("failures the job threw").isGreaterThanOrEqualTo(minFailures);
    }

    /** Throws on the first record its subtask sees this long after its first one, in its first attempt only. */
    private static final class FailOnceAfter extends RichMapFunction<Ingested, Ingested> {
        private final long afterMs;
        private long firstMs;

        FailOnceAfter(long afterMs) {
            this.afterMs = afterMs;
        }

        @Override
        public Ingested map(Ingested record) {
            long now = System.currentTimeMillis();
            if (firstMs == 0) {
                firstMs = now;
            }
            if (now - firstMs >= afterMs && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("failing on purpose " + afterMs + " ms after the first record");
            }
            return record;
        }
    }

    /** Throws on the n-th record of each attempt of a subtask, for the first {@code attempts} attempts. */
    private static final class FailEveryRecords extends RichMapFunction<Ingested, Ingested> {
        private final int every;
        private final int attempts;
        private int seen;

        FailEveryRecords(int every, int attempts) {
            this.every = every;
            this.attempts = attempts;
        }

        @Override
        public Ingested map(Ingested record) {
            if (++seen == every && getRuntimeContext().getTaskInfo().getAttemptNumber() < attempts) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("failing on purpose after " + every + " records");
            }
            return record;
        }
    }
}
