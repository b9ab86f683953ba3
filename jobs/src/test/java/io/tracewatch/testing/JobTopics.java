package io.tracewatch.testing;

import io.tracewatch.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A test job's own topics, consumer group and transactional ids, so tests do not see each other's records. */
public final class JobTopics {
    private JobTopics() {}

    /**
     * Creates {@code name}.scans, .alerts and .dead-letters and returns the settings that point a
     * job at them, with its checkpoints under {@code dir}.
     */
    public static List<String> settings(EmbeddedKafka kafka, String name, int scanPartitions, Path dir) throws Exception {
        kafka.createTopic(name + ".scans", scanPartitions);
        kafka.createTopic(name + ".alerts", 2);
        kafka.createTopic(name + ".dead-letters", 1);
        return new ArrayList<>(List.of(
                "kafka.bootstrap_servers=" + kafka.bootstrapServers(),
                "kafka.scans_topic=" + name + ".scans",
                "kafka.alerts_topic=" + name + ".alerts",
                "kafka.dead_letter_topic=" + name + ".dead-letters",
                "kafka.group_id=" + name,
                "kafka.transactional_id_prefix=" + name,
                "kafka.idle_partition_timeout_ms=1000",
                "job.checkpoint_dir=" + dir.resolve(name + "-checkpoints").toUri(),
                "job.savepoint_dir=" + dir.resolve(name + "-savepoints").toUri()));
    }
}
