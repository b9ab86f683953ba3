package io.tracewatch.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.cli.MainAccess;
import io.tracewatch.embedded.EmbeddedKafka;
import io.tracewatch.generate.Label;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.model.Alert;
import io.tracewatch.testing.ExactOutput;
import io.tracewatch.testing.JobTopics;
import io.tracewatch.testing.KafkaTopics;
import io.tracewatch.testing.StandaloneFlinkCluster;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.PackagedProgram;
import org.apache.flink.client.program.PackagedProgramUtils;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jars on a real standalone Flink cluster (JobManager and TaskManager processes), against a
 * real Kafka broker: the job jar submitted with {@code flink run} through five TaskManager kills,
 * the command-line jar's {@code run} submitted through the REST API for a savepoint upgrade, and
 * the job's metrics.
 */
class StandaloneClusterIT {
    @TempDir
    static Path dir;
    private static EmbeddedKafka kafka;
    private static StandaloneFlinkCluster cluster;
    private static RestClusterClient<StandaloneClusterId> client;
    private static KafkaTopics topics;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        topics = new KafkaTopics(kafka.bootstrapServers());
        cluster = StandaloneFlinkCluster.start(dir.resolve("cluster"), 2, Map.of());
        client = cluster.client();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The job's program arguments for its own topics: the job jar's, and the command line's after {@code run}. */
    private static List<String> settings(String name, String... more) throws Exception {
        List<String> settings = JobTopics.settings(kafka, name, 2, dir);
        settings.addAll(List.of("detection.max_judge_delay_ms=1000", "job.parallelism=2", "job.checkpoint_interval_ms=1000",
                "job.restart_delay_ms=1000"));
        settings.addAll(List.of(more));
        List<String> args = new ArrayList<>();
        for (String setting : settings) {
            args.add("--set");
            args.add(setting);
        }
        return args;
    }

    /** Submits the command-line jar's {@code run} command through the REST API, as a client library would. */
    private static JobID submit(List<String> settings, String savepoint) throws Exception {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(settings);
        // this JVM has the job's libraries on its own classpath: load them once, from there
        Configuration client = new Configuration(cluster.config());
        client.set(CoreOptions.CLASSLOADER_RESOLVE_ORDER, "parent-first");
        PackagedProgram program = PackagedProgram.newBuilder()
                .setConfiguration(client)
                .setJarFile(new File(System.getProperty("tracewatch.jar", "target/tracewatch.jar")))
                .setArguments(args.toArray(String[]::new))
                .build();
        JobGraph graph = PackagedProgramUtils.createJobGraph(program, client, 2, true);
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        JobID job = StandaloneClusterIT.client.submitJob(graph).get();
        cluster.awaitAllTasksRunning(job);
        return job;
    }


    private static List<Alert> alerts(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> AlertJson.decode(new String(r.value(), StandardCharsets.UTF_8))).toList();
    }


    private static String scan(String id, String type, String time, String party) {
        return "{\"event_id\":\"" + id + "\",\"code\":\"86123450000000009999\",\"event_type\":\"" + type
                + "\",\"event_time\":\"2026-03-" + time + ":00+08:00\",\"party_id\":\"" + party
                + "\",\"party_type\":\"PHARMACY\",\"pack_size\":24}";
    }

    @Test
    void aSavepointUpgradeCarriesEachCodesHistoryIntoTheNewVersion() throws Exception {
        List<String> v1 = settings("upgrade");
        JobID first = submit(v1, null);
        topics.sendLines("upgrade.scans", List.of(scan("u1", "RECEIVE", "01T09:00", "PH-1"), scan("u2", "SELL", "02T10:00", "PH-1")));
        // the sale is judged and checkpointed before the upgrade: nothing to alert yet
        Thread.sleep(4000);
        String savepoint = client.stopWithSavepoint(first, false, dir.resolve("upgrade-savepoints").toUri().toString(),
                SavepointFormatType.CANONICAL).get();
        assertThat(client.getJobStatus(first).get()).isEqualTo(JobStatus.FINISHED);

        List<String> v2 = settings("upgrade", "detection.max_speed_kmh=90");
        JobID second = submit(v2, savepoint);
        topics.sendLines("upgrade.scans", List.of(scan("u3", "SELL", "05T10:00", "PH-2")));
        List<Alert> alerts = alerts(topics.readUntil("upgrade.alerts", r -> r.size() >= 2, Duration.ofSeconds(60)));
        client.cancel(second).get();

        assertThat(alerts).extracting(a -> a.getRule() + "@" + a.getTriggerEventId())
                .containsExactlyInAnyOrder("DUPLICATE_SALE@u3", "IMPOSSIBLE_ROUTE@u3");
        assertThat(alerts).filteredOn(a -> a.getRule().equals("IMPOSSIBLE_ROUTE"))
                .allSatisfy(a -> assertThat(a.getRuleVersion()).contains("max_speed_kmh=90"));
    }

    @Test
    void theJobJarContinuesFromABootstrapSavepointAtAnotherParallelism() throws Exception {
        Path history = Files.write(dir.resolve("bootstrap-history.jsonl"),
                List.of(scan("b1", "RECEIVE", "01T09:00", "PH-1"), scan("b2", "SELL", "02T10:00", "PH-1")));
        Path savepoint = dir.resolve("bootstrap-savepoint");
        List<String> live = settings("bootstrap");
        List<String> bootstrap = new ArrayList<>(List.of("bootstrap", "--input", history.toString(), "--savepoint", savepoint.toString(),
                "--parallelism", "1", "--quiet"));
        bootstrap.addAll(live);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(MainAccess.run(bootstrap.toArray(String[]::new), new PrintStream(err, true, StandardCharsets.UTF_8)))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();

        // the job runs with job.parallelism=2: the savepoint was written by one subtask
        JobID job = cluster.flinkRun(List.of("--fromSavepoint", savepoint.toString()),
                Paths.get(System.getProperty("tracewatch.job.jar", "../jobs/target/tracewatch-job.jar")), live);
        cluster.awaitAllTasksRunning(job);
        topics.sendLines("bootstrap.scans", List.of(scan("b3", "SELL", "05T10:00", "PH-2")));
        List<Alert> alerts = alerts(topics.readUntil("bootstrap.alerts", r -> r.size() >= 2, Duration.ofSeconds(60)));
        client.cancel(job).get();

        assertThat(alerts).extracting(a -> a.getRule() + "@" + a.getTriggerEventId())
                .containsExactlyInAnyOrder("DUPLICATE_SALE@b3", "IMPOSSIBLE_ROUTE@b3");
    }

    @Test
    void repeatedTaskManagerKillsNeitherLoseNorDuplicateAlertsOrDeadLetters() throws Exception {
        List<Label> labels = new ArrayList<>();
        List<ScanGenerator.GeneratedScan> traffic = new ArrayList<>();
        new ScanGenerator(ScanGenerator.Settings.defaults(31, 900).withAnomalyRate(0.3).withLateRate(0.05), labels::add)
                .forEachRemaining(traffic::add);
        List<String> lines = traffic.stream().map(ScanGenerator.GeneratedScan::json).toList();
        long malformed = traffic.stream().filter(s -> s.event() == null).count();
        Set<String> expected = ExactOutput.expected(labels);

        JobID job = cluster.flinkRun(Paths.get(System.getProperty("tracewatch.job.jar", "../jobs/target/tracewatch-job.jar")),
                settings("failover"));
        cluster.awaitAllTasksRunning(job);
        // kills at seeded random points of the traffic: -Dtracewatch.kill.seed=N repeats a run
        long seed = Long.getLong("tracewatch.kill.seed", System.nanoTime() % 100_000);
        System.out.println("failover: kill seed " + seed);
        java.util.Random random = new java.util.Random(seed);
        int kills = 5;
        List<Long> recoveries = new ArrayList<>();
        int sent = 0;
        int share = lines.size() / (kills + 1);
        for (int k = 0; k <= kills; k++) {
            // each kill somewhere in its own share of the traffic, so the last attempt still has scans to process
            int until = k == kills ? lines.size() : k * share + 1 + random.nextInt(share);
            topics.sendLines("failover.scans", lines.subList(sent, until));
            sent = until;
            if (k < kills) {
                Thread.sleep(random.nextInt(3000));
                recoveries.add(killAndRecover(job));
            }
        }

        List<Alert> alerts = ExactOutput.awaitAlerts(topics, "failover.alerts", expected, Duration.ofSeconds(120));
        ExactOutput.assertDeadLettersOnce(topics, "failover.dead-letters", malformed);
        Map<String, Double> metrics = detectorMetrics(job, "alertsRaised", "alertsRetracted", "eventsProcessed",
                "lateEventsMerged", "historyOverflows", "rocksdb_estimate");
        com.fasterxml.jackson.databind.JsonNode latest = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(cluster.get("/jobs/" + job + "/checkpoints")).path("latest").path("completed");
        client.cancel(job).get();
        System.out.printf("failover: recovered in %s ms; %d alert records, %d standing; "
                        + "last checkpoint %d bytes full, %d bytes incremental, for %d codes; metrics %s%n",
                recoveries, alerts.size(), expected.size(), latest.path("state_size").asLong(),
                latest.path("checkpointed_size").asLong(), traffic.stream().filter(t -> t.event() != null)
                        .map(t -> t.event().getCode()).distinct().count(), metrics);

        // counters restart with the tasks after a failover: they count since the last restore
        for (String name : List.of("rule.DUPLICATE_SALE.alertsRaised", "rule.IMPOSSIBLE_ROUTE.alertsRaised",
                "rule.POST_DISPENSE_RESALE.alertsRaised", "eventsProcessed", "lateEventsMerged", "historyOverflows",
                "code-state.rocksdb_estimate-num-keys")) {
            assertThat(metrics.keySet()).as(name).anyMatch(id -> id.endsWith(name));
        }
        assertThat(metrics).anySatisfy((id, value) -> {
            assertThat(id).endsWith("eventsProcessed");
            assertThat(value).isPositive();
        });
    }

    /** SIGKILLs the TaskManager, starts a new one, and returns how long until the job runs again. */
    private static long killAndRecover(JobID job) throws Exception {
        Instant killedAt = Instant.now();
        long killed = System.nanoTime();
        cluster.killTaskManager();
        cluster.startTaskManager();
        // the job may still show every task running before the JobManager has noticed the loss
        cluster.awaitRunningAgain(job, killedAt, Duration.ofSeconds(120));
        return (System.nanoTime() - killed) / 1_000_000;
    }

    /**
     * The detector's metrics whose names contain one of {@code names}, summed over its subtasks, read
     * through the REST API as a monitoring system would.
     */
    private static Map<String, Double> detectorMetrics(JobID job, String... names) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String vertex = null;
        for (com.fasterxml.jackson.databind.JsonNode v : json.readTree(cluster.get("/jobs/" + job)).path("vertices")) {
            if (v.path("name").asText().contains("detect anomalies per code")) {
                vertex = v.path("id").asText();
            }
        }
        String base = "/jobs/" + job + "/vertices/" + vertex + "/subtasks/metrics";
        List<String> wanted = new ArrayList<>();
        // the JobManager fetches metrics from TaskManagers every few seconds: the first answer may be empty
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (wanted.isEmpty() && System.nanoTime() < deadline) {
            for (com.fasterxml.jackson.databind.JsonNode metric : json.readTree(cluster.get(base))) {
                String id = metric.path("id").asText();
                if (java.util.Arrays.stream(names).anyMatch(id::contains)) {
                    wanted.add(id);
                }
            }
            Thread.sleep(wanted.isEmpty() ? 1000 : 0);
        }
        Map<String, Double> values = new java.util.TreeMap<>();
        // and its values are those of its last fetch: right after a restore, the new attempt's zeros
        while (!wanted.isEmpty()) {
            for (com.fasterxml.jackson.databind.JsonNode metric : json.readTree(cluster.get(base + "?agg=sum&get=" + String.join(",", wanted)))) {
                values.put(metric.path("id").asText(), metric.path("sum").asDouble());
            }
            boolean counted = values.entrySet().stream().anyMatch(e -> e.getKey().endsWith("eventsProcessed") && e.getValue() > 0);
            if (counted || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000);
        }
        return values;
    }
}
