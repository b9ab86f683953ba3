package io.tracewatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.embedded.EmbeddedKafka;
import io.tracewatch.generate.Label;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.testing.ExactOutput;
import io.tracewatch.testing.JobTopics;
import io.tracewatch.testing.KafkaTopics;
import io.tracewatch.testing.StandaloneFlinkCluster;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.curator.test.TestingServer;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JobManager high availability on a standalone cluster: ZooKeeper (a real server, run here), a
 * leading and a standby JobManager process. The leader is killed with SIGKILL mid-stream; the
 * standby takes over, restores the job from its latest checkpoint, and the alerts stay exact.
 */
class HighAvailabilityIT {
    @TempDir
    static Path dir;
    private static TestingServer zooKeeper;
    private static EmbeddedKafka kafka;
    private static StandaloneFlinkCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        zooKeeper = new TestingServer(true);
        kafka = EmbeddedKafka.start();
        cluster = StandaloneFlinkCluster.startHighlyAvailable(dir.resolve("cluster"), 2, zooKeeper.getConnectString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
    }

    @Test
    void theStandbyJobManagerTakesOverFromAKilledLeaderWithExactAlerts() throws Exception {
        List<Label> labels = new ArrayList<>();
        List<ScanGenerator.GeneratedScan> traffic = new ArrayList<>();
        new ScanGenerator(ScanGenerator.Settings.defaults(61, 500).withAnomalyRate(0.3).withLateRate(0.05), labels::add)
                .forEachRemaining(traffic::add);
        Set<String> expected = ExactOutput.expected(labels);
        long malformed = traffic.stream().filter(s -> s.event() == null).count();
        KafkaTopics topics = new KafkaTopics(kafka.bootstrapServers());

        List<String> args = new ArrayList<>();
        for (String setting : JobTopics.settings(kafka, "ha", 2, dir)) {
            args.addAll(List.of("--set", setting));
        }
        args.addAll(List.of("--set", "job.parallelism=2", "--set", "job.checkpoint_interval_ms=1000", "--set", "job.restart_delay_ms=1000",
                "--set", "detection.max_judge_delay_ms=1000"));
        JobID job = cluster.flinkRun(Paths.get(System.getProperty("tracewatch.job.jar", "../jobs/target/tracewatch-job.jar")), args);
        cluster.awaitAllTasksRunning(job);
        int half = traffic.size() / 2;
        topics.sendScans("ha.scans", traffic.subList(0, half));
        Thread.sleep(4000);

        long killed = System.nanoTime();
        int leader = cluster.killLeadingJobManager();
        cluster.awaitAllTasksRunning(job);
        long recovery = (System.nanoTime() - killed) / 1_000_000;
        // a new standby, as a process supervisor would start one
        cluster.startJobManager();
        topics.sendScans("ha.scans", traffic.subList(half, traffic.size()));

        ExactOutput.awaitAlerts(topics, "ha.alerts", expected, Duration.ofSeconds(120));
        ExactOutput.assertDeadLettersOnce(topics, "ha.dead-letters", malformed);
        System.out.printf("high availability: JobManager %d killed; job running again on the standby after %d ms%n", leader, recovery);
        assertThat(cluster.get("/jobs/" + job)).contains("\"state\":\"RUNNING\"");
    }
}
