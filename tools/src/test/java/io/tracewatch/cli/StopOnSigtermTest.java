package io.tracewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.testing.CommandProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The long-running commands as a process manager runs them: each its own JVM, started from the
 * command line, stopped with SIGTERM, which must end it within 10 s (then managers send SIGKILL)
 * after closing what it opened. They run against a broker started with {@code broker}.
 */
class StopOnSigtermTest {
    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static CommandProcess broker;
    private static String bootstrap;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = CommandProcess.start(dir, "broker", Map.of(), "broker", "--port", "0", "--data-dir", dir.resolve("kafka").toString());
        String first = broker.awaitLine(line -> !line.isBlank(), Duration.ofSeconds(60));
        assertThat(first).as("the broker's first line").matches("Kafka: localhost:[0-9]+");
        bootstrap = first.substring("Kafka: ".length());
        broker.awaitLine(line -> line.startsWith("topics: tracewatch.scans (4 partitions)"), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            long millis = broker.terminate();
            assertThat(millis).as("broker stopped by SIGTERM in ms").isLessThan(STOP_LIMIT.toMillis());
            assertThat(dir.resolve("kafka").resolve("meta.properties")).as("--data-dir is kept").exists();
        }
    }

    @Test
    void theStreamingJobIsCancelledCleanly() throws Exception {
        CommandProcess run = CommandProcess.start(dir, "run", Map.of(), "run", "--set", "kafka.bootstrap_servers=" + bootstrap,
                "--set", "job.checkpoint_dir=" + dir.resolve("run-checkpoints").toUri(), "--set", "job.parallelism=1",
                "--set", "job.checkpoint_interval_ms=1000");
        run.awaitLine(line -> line.startsWith("tracewatch: reading tracewatch.scans"), Duration.ofSeconds(60));
        // checkpoints completed: the job's Kafka transactions are open and committing
        awaitFile(dir.resolve("run-checkpoints"), "chk-2", Duration.ofSeconds(60));
        long millis = run.terminate();
        assertThat(millis).as("run stopped by SIGTERM in ms").isLessThan(STOP_LIMIT.toMillis());
        assertThat(run.output()).contains("tracewatch: job cancelled").doesNotContain("Exception");
    }

    @Test
    void theDemoOnAnExistingBrokerStopsWithItsSummary() throws Exception {
        // a register version left on the broker: the demo says the job reads it with its own
        try (var producer = io.tracewatch.io.kafka.KafkaClients.producer(bootstrap)) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("tracewatch.parties", "PH-9".getBytes(),
                    ("{\"party_id\":\"PH-9\",\"version_time\":\"2020-01-01T00:00:00Z\",\"party_type\":\"PHARMACY\","
                            + "\"region\":\"120101\",\"status\":\"ACTIVE\"}").getBytes())).get();
        }
        CommandProcess demo = CommandProcess.start(dir, "demo", Map.of(), "demo", "--broker", bootstrap, "--codes", "200", "--rate", "100",
                "--web-port", Integer.toString(freePort()), "--feed-port", Integer.toString(freePort()));
        demo.awaitLine(line -> line.contains("RAISED"), Duration.ofSeconds(90));
        long millis = demo.terminate();
        assertThat(millis).as("demo stopped by SIGTERM in ms").isLessThan(STOP_LIMIT.toMillis());
        assertThat(demo.output()).contains("Kafka:       " + bootstrap).contains("(stopped early")
                .containsPattern("Found: +[0-9,]+ records? on tracewatch.parties")
                .doesNotContain("Exception");
    }

    @Test
    void theFeedAndTailStop() throws Exception {
        CommandProcess feed = CommandProcess.start(dir, "feed", Map.of("TRACEWATCH_FEED_TOKENS", "ops " + "t".repeat(32) + " read *"), "feed",
                "--set", "kafka.bootstrap_servers=" + bootstrap, "--set", "feed.port=0",
                "--set", "feed.audit.file=" + dir.resolve("audit.jsonl"));
        CommandProcess tail = CommandProcess.start(dir, "tail", Map.of(), "tail", "--set", "kafka.bootstrap_servers=" + bootstrap);
        feed.awaitLine(line -> line.startsWith("tracewatch feed: http://127.0.0.1:"), Duration.ofSeconds(60));
        Thread.sleep(3000);
        assertThat(tail.process().isAlive()).as("tail follows the topic: " + tail.output()).isTrue();
        assertThat(feed.terminate()).as("feed stopped by SIGTERM in ms").isLessThan(STOP_LIMIT.toMillis());
        assertThat(tail.terminate()).as("tail stopped by SIGTERM in ms").isLessThan(STOP_LIMIT.toMillis());
        assertThat(feed.output() + tail.output()).doesNotContain("Exception");
    }

    private static void awaitFile(Path root, String name, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(root)) {
                try (var files = Files.walk(root)) {
                    if (files.anyMatch(f -> f.getFileName().toString().equals(name))) {
                        return;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + name + " under " + root + " in " + timeout);
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
