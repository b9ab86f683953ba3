package io.tracewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewatch.io.kafka.JobLease;
import io.tracewatch.io.kafka.KafkaSettings;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.settings.ConfigException;
import io.tracewatch.testing.KafkaBroker;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A live job started twice with the same settings on one broker is refused, never run twice. */
class RunCommandTest {
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    private static KafkaSettings kafka(String prefix) {
        return TracewatchConfig.load(null, List.of("kafka.bootstrap_servers=" + KAFKA.kafka().bootstrapServers(),
                "kafka.transactional_id_prefix=" + prefix)).kafka();
    }

    @Test
    void oneJobHoldsTheLeaseOfItsPrefixUntilItStops() throws Exception {
        KafkaSettings kafka = kafka("lease-a");
        KAFKA.kafka().createTopics(kafka);
        try (JobLease first = JobLease.acquire(kafka, new Properties())) {
            assertThatThrownBy(() -> JobLease.acquire(kafka, new Properties())).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("another tracewatch job runs with kafka.transactional_id_prefix 'lease-a'")
                    .hasMessageContaining("tracewatch-run@");
            try (JobLease otherPrefix = JobLease.acquire(kafka("lease-b"), new Properties())) {
                assertThat(otherPrefix).isNotNull();
            }
        }
        try (JobLease again = JobLease.acquire(kafka, new Properties())) {
            assertThat(again).as("free once the first has stopped").isNotNull();
        }
    }

    @Test
    void aTransactionTimeoutAboveTheBrokersLimitIsRefusedBeforeTheJobStarts() throws Exception {
        KafkaSettings kafka = kafka("timeout");
        KAFKA.kafka().createTopics(kafka);
        MainAccess.Result refused = MainAccess.capture("run", "--set", "kafka.bootstrap_servers=" + KAFKA.kafka().bootstrapServers(),
                "--set", "kafka.transactional_id_prefix=timeout", "--set", "kafka.transaction_timeout_ms=3600000");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err().strip().lines()).singleElement().asString()
                .contains("kafka.transaction_timeout_ms 3600000 is above the broker's transaction.max.timeout.ms");
    }

    @Test
    void runIsRefusedWithOneLineWhileAnotherJobHoldsItsSettings() throws Exception {
        KafkaSettings kafka = kafka("lease-run");
        KAFKA.kafka().createTopics(kafka);
        try (JobLease running = JobLease.acquire(kafka, new Properties())) {
            MainAccess.Result second = MainAccess.capture("run", "--set", "kafka.bootstrap_servers=" + KAFKA.kafka().bootstrapServers(),
                    "--set", "kafka.transactional_id_prefix=lease-run");
            assertThat(second.exit()).isEqualTo(2);
            assertThat(second.err().lines().filter(line -> line.startsWith("tracewatch run:")))
                    .singleElement().asString().contains("another tracewatch job runs", "two would write every alert twice");
            assertThat(second.err()).doesNotContain("Exception");
        }
    }
}
