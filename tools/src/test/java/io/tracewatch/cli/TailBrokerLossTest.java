package io.tracewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.testing.CommandProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tail} says once when Kafka stops answering and once when it is back, rather than wait in silence. */
class TailBrokerLossTest {
    @TempDir
    Path dir;

    @Test
    void tailSaysWhenKafkaStopsAnsweringAndWhenItIsBack() throws Exception {
        CommandProcess broker = CommandProcess.start(dir, "broker", Map.of(), "broker", "--port", "0", "--data-dir", dir.resolve("kafka").toString());
        String bootstrap = broker.awaitLine(line -> line.startsWith("Kafka: "), Duration.ofSeconds(60)).substring("Kafka: ".length());
        broker.awaitLine(line -> line.startsWith("topics: "), Duration.ofSeconds(30));
        CommandProcess tail = CommandProcess.start(dir, "tail", Map.of(), "tail", "--set", "kafka.bootstrap_servers=" + bootstrap);
        try {
            tail.awaitLine(line -> line.contains("tracewatch tail: following"), Duration.ofSeconds(60));
            // a broker that no longer answers, as a hung or partitioned one
            broker.signal("STOP");
            try {
                tail.awaitLine(line -> line.contains("does not answer; waiting for it"), Duration.ofSeconds(45));
            } finally {
                broker.signal("CONT");
            }
            tail.awaitLine(line -> line.contains("is back; following again"), Duration.ofSeconds(45));
            assertThat(tail.output().lines().filter(line -> line.contains("does not answer"))).as("said once").hasSize(1);
            assertThat(tail.output()).doesNotContain("Exception");
        } finally {
            tail.terminate();
            broker.terminate();
        }
    }
}
