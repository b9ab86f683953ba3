package io.tracewatch.embedded;

import io.tracewatch.io.kafka.KafkaSettings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics of a configuration, created on a local broker (the embedded one, or one a user started
 * with {@code broker}) the way the live job uses them: the partitions of {@code kafka.partitions},
 * one for the others, the parties and recalls topics compacted; one replica, as a one-node broker has.
 */
public final class Topics {
    private Topics() {}

    /** Creates those that do not exist yet. */
    public static void create(String bootstrapServers, KafkaSettings settings) throws Exception {
        create(bootstrapServers, settings, settings.partitions().scans());
    }

    /** The topics with one partition: low volume, and the reference topics need their order. */
    public static List<String> withOnePartition(KafkaSettings settings) {
        return List.of(settings.deadLetterTopic(), settings.caseActionsTopic(), settings.leadsTopic(), settings.verifyRequestsTopic(),
                settings.verificationsTopic(), settings.partiesTopic(), settings.settingsTopic(), settings.recallsTopic());
    }

    /** Creates those that do not exist yet, with {@code scanPartitions} partitions of the scans topic. */
    public static void create(String bootstrapServers, KafkaSettings settings, int scanPartitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            create(admin, new NewTopic(settings.scansTopic(), scanPartitions, (short) 1));
            create(admin, new NewTopic(settings.alertsTopic(), settings.partitions().alerts(), (short) 1));
            create(admin, new NewTopic(settings.casesTopic(), settings.partitions().cases(), (short) 1));
            for (String topic : withOnePartition(settings)) {
                NewTopic created = new NewTopic(topic, 1, (short) 1);
                // the register keeps each party's latest versions, the recall list each recall's
                boolean compacted = topic.equals(settings.partiesTopic()) || topic.equals(settings.recallsTopic());
                create(admin, compacted ? created.configs(Map.of("cleanup.policy", "compact")) : created);
            }
        }
    }

    static void create(Admin admin, NewTopic topic) throws Exception {
        try {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
