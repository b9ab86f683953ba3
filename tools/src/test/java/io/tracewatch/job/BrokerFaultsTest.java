package io.tracewatch.job;

import io.tracewatch.generate.Label;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.testing.CommandProcess;
import io.tracewatch.testing.ExactOutput;
import io.tracewatch.testing.FlinkCluster;
import io.tracewatch.testing.KafkaTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live job, exactly once, while its Kafka broker fails: the broker is a process of its own
 * ({@code tracewatch broker}, KRaft) that is stopped cleanly, killed with SIGKILL, and frozen with
 * SIGSTOP for longer than the clients' request timeout, each time started again on its port and
 * data. The job recovers by itself, and a read_committed consumer then sees the ground truth with
 * no alert record twice and every dead letter once.
 */
class BrokerFaultsTest {
    @RegisterExtension
    static final FlinkCluster FLINK = new FlinkCluster(2);

    /** The clients' request timeout here: a frozen broker must outlast it. */
    private static final int REQUEST_TIMEOUT_MS = 5_000;

    @TempDir
    static Path dir;
    private static CommandProcess broker;
    private static int port;

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.signal("CONT");
            broker.terminate();
        }
    }

    private static void startBroker() throws Exception {
        broker = CommandProcess.start(dir, "broker", Map.of(), "broker", "--port", Integer.toString(port),
                "--data-dir", dir.resolve("kafka").toString());
        broker.awaitLine(line -> line.startsWith("topics: "), Duration.ofSeconds(90));
    }

    @Test
    void theJobRecoversFromBrokerRestartsKillsAndStallsWithExactAlerts() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        startBroker();
        String bootstrap = "localhost:" + port;
        Path client = Files.writeString(dir.resolve("client.properties"), String.join("\n",
                "request.timeout.ms=" + REQUEST_TIMEOUT_MS, "default.api.timeout.ms=" + 2 * REQUEST_TIMEOUT_MS, ""));
        TracewatchConfig config = TracewatchConfig.load(null, List.of("kafka.bootstrap_servers=" + bootstrap,
                "kafka.client_properties_file=" + client, "kafka.idle_partition_timeout_ms=1000",
                "job.parallelism=2", "job.checkpoint_interval_ms=500", "job.restart_attempts=1000", "job.restart_delay_ms=1000",
                "job.checkpoint_dir=" + dir.resolve("checkpoints").toUri(), "detection.max_judge_delay_ms=1000"));
        KafkaTopics topics = new KafkaTopics(bootstrap);

        List<Label> labels = new ArrayList<>();
        List<ScanGenerator.GeneratedScan> traffic = new ArrayList<>();
        new ScanGenerator(ScanGenerator.Settings.defaults(51, 400).withAnomalyRate(0.3).withLateRate(0.05), labels::add)
                .forEachRemaining(traffic::add);
        Set<String> expected = ExactOutput.expected(labels);
        long malformed = traffic.stream().filter(s -> s.event() == null).count();

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.streaming(config.job()));
        StreamingJob.build(env, config);
        JobClient job = env.executeAsync(StreamingJob.NAME);
        int part = traffic.size() / 4;
        send(topics, config, traffic.subList(0, part));
        Map<String, String> recoveries = new java.util.LinkedHashMap<>();

        recoveries.put("clean broker restart", fault(() -> {
            broker.terminate();
            startBroker();
        }));
        send(topics, config, traffic.subList(part, 2 * part));
        recoveries.put("broker SIGKILL and restart", fault(() -> {
            broker.kill();
            startBroker();
        }));
        send(topics, config, traffic.subList(2 * part, 3 * part));
        recoveries.put("broker frozen " + 3 * REQUEST_TIMEOUT_MS / 1000 + " s", fault(() -> {
            broker.signal("STOP");
            Thread.sleep(3L * REQUEST_TIMEOUT_MS);
            broker.signal("CONT");
        }));
        send(topics, config, traffic.subList(3 * part, traffic.size()));

        ExactOutput.awaitAlerts(topics, config.kafka().alertsTopic(), expected, Duration.ofSeconds(180));
        ExactOutput.assertDeadLettersOnce(topics, config.kafka().deadLetterTopic(), malformed);
        job.cancel().get();
        System.out.printf("broker faults: %s%n", recoveries);
    }

    private interface Fault {
        void inject() throws Exception;
    }

    /**
     * Injects the fault once the job has checkpointed; returns how long the broker was away and how
     * long after it was back checkpoints completed again (the job's output flowing).
     */
    private static String fault(Fault fault) throws Exception {
        long before = awaitCheckpointAfter(-1);
        long injected = System.nanoTime();
        fault.inject();
        long back = System.nanoTime();
        awaitCheckpointAfter(before);
        return String.format("away %d ms, then checkpointing after %d ms", (back - injected) / 1_000_000,
                (System.nanoTime() - back) / 1_000_000);
    }

    /** Waits for a completed checkpoint numbered above {@code id} and returns the highest one. */
    private static long awaitCheckpointAfter(long id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            long latest = latestCheckpoint();
            if (latest > id) {
                return latest;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no checkpoint after " + id + " within 3 minutes");
    }

    /** The highest checkpoint whose metadata is written, i.e. that completed. */
    private static long latestCheckpoint() throws Exception {
        Path root = dir.resolve("checkpoints");
        if (!Files.exists(root)) {
            return -1;
        }
        try (Stream<Path> files = Files.walk(root, 3)) {
            return files.filter(f -> f.getFileName().toString().equals("_metadata"))
                    .map(f -> f.getParent().getFileName().toString())
                    .filter(name -> name.startsWith("chk-"))
                    .mapToLong(name -> Long.parseLong(name.substring(4))).max().orElse(-1);
        }
    }

    private static void send(KafkaTopics topics, TracewatchConfig config, List<ScanGenerator.GeneratedScan> scans) {
        topics.sendScans(config.kafka().scansTopic(), scans);
    }
}
