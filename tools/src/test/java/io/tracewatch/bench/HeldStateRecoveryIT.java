package io.tracewatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.embedded.EmbeddedKafka;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.codec.Times;
import io.tracewatch.testing.JobTopics;
import io.tracewatch.testing.KafkaTopics;
import io.tracewatch.testing.StandaloneFlinkCluster;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25's recovery with big state: the job jar on a standalone cluster holding the state of N
 * sealed codes (written with the State Processor API, as {@code bench --only years} does), its one
 * TaskManager killed with SIGKILL and started again; how long until the job runs again and until
 * the alert of a scan sent right after the kill reaches a read_committed consumer, without local
 * recovery and then with it (restored from the first run's last checkpoint, not the savepoint again).
 * Small here; {@code -Dtracewatch.recovery.held-codes=N} measures a region's size: 70,000,000 held
 * 10.16 GB of state (docs/operations.md, "Recovery with years of codes held").
 */
class HeldStateRecoveryIT {
    private static final long HELD_CODES = Long.getLong("tracewatch.recovery.held-codes", 100_000);
    private static final Duration RESTORE = Duration.ofHours(2);

    @TempDir
    static Path dir;
    private static EmbeddedKafka kafka;
    private static KafkaTopics topics;
    private static String heldSavepoint;

    @BeforeAll
    static void holdCodes() throws Exception {
        kafka = EmbeddedKafka.start();
        topics = new KafkaTopics(kafka.bootstrapServers());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        SealedBytesBenchmark seals = new SealedBytesBenchmark(quiet);
        seals.run(2_000);
        long started = System.nanoTime();
        heldSavepoint = new YearsBenchmark(new Benchmarks(dir, 1, quiet), dir, quiet).heldState(seals.sealed(), HELD_CODES, dir.resolve("held"));
        System.out.printf("recovery: %,d held codes written in %.0f s, savepoint %,d bytes%n", HELD_CODES,
                (System.nanoTime() - started) / 1e9, Benchmarks.size(Path.of(java.net.URI.create(heldSavepoint))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aKilledTaskManagerHoldingYearsOfCodesRecoversAndAlertsFlowAgain() throws Exception {
        Recovery remote = killAndRecover("remote", false, List.of("--fromSavepoint", heldSavepoint));
        // a region's savepoint is twice the state at rest: gone, there is room for the second cluster's copy
        org.apache.flink.util.FileUtils.deleteDirectory(Path.of(java.net.URI.create(heldSavepoint)).toFile());
        // claimed, the checkpoint's files are the new job's: its first checkpoint does not copy them all again
        Recovery local = killAndRecover("local", true, List.of("--fromSavepoint", remote.lastCheckpoint(), "--claimMode", "claim"));
        System.out.println("recovery: " + remote);
        System.out.println("recovery: " + local);

        assertThat(remote.restoredLocally()).isFalse();
        assertThat(local.restoredLocally()).as("the TaskManager started again found its own copy of the checkpoint").isTrue();
        for (Recovery recovery : List.of(remote, local)) {
            assertThat(recovery.runningAgainSeconds()).isPositive().isLessThanOrEqualTo(recovery.alertsAgainSeconds());
            // the full checkpoint holds every held code: at least the bytes of its key
            assertThat(recovery.stateBytes()).isGreaterThan(HELD_CODES * 20);
        }
    }

    /**
     * Runs the job jar with {@code restore} ({@code flink run} options) on a cluster of its own, sees a duplicate sale alerted
     * and checkpointed, kills the TaskManager and starts it again at once, as a supervisor
     * restarting a failed process would, and times the job's way back.
     */
    private static Recovery killAndRecover(String name, boolean localRecovery, List<String> restore) throws Exception {
        Map<String, String> cluster = Map.of(
                // a local copy of each checkpoint, and a restore from it (the old key state.backend.local-recovery set both)
                "execution.checkpointing.local-backup.enabled", Boolean.toString(localRecovery),
                "execution.state-recovery.from-local", Boolean.toString(localRecovery),
                // the TaskManager started again must be the same one, with the same working directory, to find its local state
                "taskmanager.resource-id", "held-state-" + name,
                "process.taskmanager.working-dir", dir.resolve(name + "-taskmanager").toString(),
                "taskmanager.memory.process.size", "2560m",
                "taskmanager.memory.managed.size", "1g");
        try (StandaloneFlinkCluster flink = StandaloneFlinkCluster.start(dir.resolve(name), 2, cluster)) {
            List<String> args = new ArrayList<>();
            for (String setting : settings(name)) {
                args.addAll(List.of("--set", setting));
            }
            long submitted = System.nanoTime();
            JobID job = flink.flinkRun(restore,
                    Paths.get(System.getProperty("tracewatch.job.jar", "../jobs/target/tracewatch-job.jar")), args);
            flink.awaitAllTasksRunning(job, RESTORE);
            double restoreSeconds = (System.nanoTime() - submitted) / 1e9;
            awaitAlert(name, duplicateSale(name, "before"));
            JsonNode checkpoint = completedCheckpointAfter(flink, job, Instant.now());

            Instant killedAt = Instant.now();
            long killed = System.nanoTime();
            flink.killTaskManager();
            flink.startTaskManager();
            String trigger = duplicateSale(name, "after");
            flink.awaitRunningAgain(job, killedAt, RESTORE);
            double runningAgain = (System.nanoTime() - killed) / 1e9;
            awaitAlert(name, trigger);
            double alertsAgain = (System.nanoTime() - killed) / 1e9;

            String last = completedCheckpointAfter(flink, job, Instant.now()).path("external_path").asText();
            flink.client().cancel(job).get();
            // Flink's local state store says which restore found the checkpoint on the TaskManager's own disk
            boolean restoredLocally = Files.readString(dir.resolve(name).resolve("taskmanager-1.log")).contains("Found registered local state");
            return new Recovery(name, localRecovery, restoreSeconds, checkpoint.path("state_size").asLong(),
                    checkpoint.path("end_to_end_duration").asLong(), runningAgain, alertsAgain, restoredLocally, last);
        }
    }

    private static List<String> settings(String name) throws Exception {
        List<String> settings = JobTopics.settings(kafka, name, 2, dir);
        settings.addAll(List.of("detection.max_judge_delay_ms=1000", "job.parallelism=2", "job.checkpoint_interval_ms=5000",
                "job.restart_delay_ms=1000"));
        return settings;
    }

    /** Sends a pack sold by two pharmacies and returns the id of the second sale, the duplicate's trigger. */
    private static String duplicateSale(String name, String tag) {
        String code = String.format("8612345%013d", Math.abs((name + tag).hashCode()));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        topics.sendLines(name + ".scans", List.of(
                sale(name + "-" + tag + "-1", code, now.minusSeconds(60), "PH-120101-0001"),
                sale(name + "-" + tag + "-2", code, now, "PH-120101-0002")));
        return name + "-" + tag + "-2";
    }

    private static String sale(String id, String code, Instant at, String pharmacy) {
        return "{\"event_id\":\"" + id + "\",\"code\":\"" + code + "\",\"event_type\":\"SELL\",\"event_time\":\"" + Times.iso(at, 8 * 3600)
                + "\",\"party_id\":\"" + pharmacy + "\",\"party_type\":\"PHARMACY\"}";
    }

    private static void awaitAlert(String name, String trigger) {
        List<String> triggers = topics.readUntil(name + ".alerts",
                        records -> records.stream().anyMatch(r -> triggerOf(r.value()).equals(trigger)), RESTORE)
                .stream().map(r -> triggerOf(r.value())).toList();
        assertThat(triggers).as("alerts of " + name).contains(trigger);
    }

    private static String triggerOf(byte[] alert) {
        return AlertJson.decode(new String(alert, StandardCharsets.UTF_8)).getTriggerEventId();
    }

    /** The first checkpoint of {@code job} completed after {@code after}, as Flink's REST API describes it. */
    private static JsonNode completedCheckpointAfter(StandaloneFlinkCluster flink, JobID job, Instant after) throws Exception {
        long deadline = System.nanoTime() + RESTORE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode latest = new ObjectMapper().readTree(flink.get("/jobs/" + job + "/checkpoints")).path("latest").path("completed");
            if (latest.path("latest_ack_timestamp").asLong() > after.toEpochMilli()) {
                return latest;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no checkpoint of " + job + " completed");
    }

    /** One run: the restore it started from, its state (a checkpoint's full size), and the way back after the kill. */
    record Recovery(String name, boolean localRecovery, double restoreSeconds, long stateBytes, long checkpointMs,
            double runningAgainSeconds, double alertsAgainSeconds, boolean restoredLocally, String lastCheckpoint) {
        @Override
        public String toString() {
            return String.format("%s (local recovery %s): %,d held codes, restored in %.1f s; state %,d bytes, checkpointed in %,d ms; "
                            + "TaskManager killed: running again after %.1f s, alerts again after %.1f s, restored from local disk: %s", name,
                    localRecovery, HELD_CODES, restoreSeconds, stateBytes, checkpointMs, runningAgainSeconds, alertsAgainSeconds,
                    restoredLocally);
        }
    }
}
