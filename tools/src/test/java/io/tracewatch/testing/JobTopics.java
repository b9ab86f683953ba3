package io.tracewatch.testing;

import io.tracewatch.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A test job's own topics, consumer group and transactional ids, so tests do not see each other's records. */
public final class JobTopics {
    private JobTopics() {}

    /**
     * Creates {@code name}.scans, .alerts, .dead-letters, .cases, .case-actions, .leads,
     * .verify-requests, .verifications, .parties, .settings and .recalls, and returns the settings that point a job at them, with
     * its checkpoints under {@code dir}.
     */
    public static List<String> settings(EmbeddedKafka kafka, String name, int scanPartitions, Path dir) throws Exception {
        kafka.createTopic(name + ".scans", scanPartitions);
        kafka.createTopic(name + ".alerts", 2);
        kafka.createTopic(name + ".dead-letters", 1);
        kafka.createTopic(name + ".cases", 2);
        kafka.createTopic(name + ".case-actions", 1);
        kafka.createTopic(name + ".leads", 1);
        kafka.createTopic(name + ".verify-requests", 2);
        kafka.createTopic(name + ".verifications", 1);
        kafka.createTopic(name + ".parties", 1);
        kafka.createTopic(name + ".settings", 1);
        kafka.createTopic(name + ".recalls", 1);
        return new ArrayList<>(List.of(
                "kafka.bootstrap_servers=" + kafka.bootstrapServers(),
                "kafka.scans_topic=" + name + ".scans",
                "kafka.alerts_topic=" + name + ".alerts",
                "kafka.dead_letter_topic=" + name + ".dead-letters",
                "kafka.cases_topic=" + name + ".cases",
                "kafka.case_actions_topic=" + name + ".case-actions",
                "kafka.leads_topic=" + name + ".leads",
                "kafka.verify_requests_topic=" + name + ".verify-requests",
                "kafka.verifications_topic=" + name + ".verifications",
                "kafka.parties_topic=" + name + ".parties",
                "kafka.settings_topic=" + name + ".settings",
                "kafka.recalls_topic=" + name + ".recalls",
                "kafka.group_id=" + name,
                "kafka.transactional_id_prefix=" + name,
                "kafka.idle_partition_timeout_ms=1000",
                "job.checkpoint_dir=" + dir.resolve(name + "-checkpoints").toUri(),
                "job.savepoint_dir=" + dir.resolve(name + "-savepoints").toUri()));
    }
}
