package io.tracewatch.io.kafka;

import io.tracewatch.settings.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before a job is submitted, that the broker answers and the topics exist: a wrong address
 * or a missing topic is then one clear message, not a job that retries silently.
 */
public final class KafkaPreflight {
    private static final int TIMEOUT_SECONDS = 10;

    private KafkaPreflight() {}

    /** The live job's topics: everything it reads and writes. */
    public static void check(KafkaSettings kafka, Properties client) {
        check(kafka, client, List.of(kafka.scansTopic(), kafka.alertsTopic(), kafka.deadLetterTopic(), kafka.casesTopic(),
                kafka.caseActionsTopic(), kafka.leadsTopic(), kafka.verifyRequestsTopic(), kafka.verificationsTopic()));
    }

    /** Fails with one line when the broker cannot be reached or one of {@code topics} does not exist. */
    public static void check(KafkaSettings kafka, Properties client, List<String> topics) {
        partitions(kafka, client, topics);
    }

    /** As {@link #check}, and returns how many partitions each topic has. */
    public static Map<String, Integer> partitions(KafkaSettings kafka, Properties client, List<String> topics) {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        Properties settings = new Properties();
        settings.putAll(client);
        settings.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(TIMEOUT_SECONDS * 1000));
        settings.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(TIMEOUT_SECONDS * 1000));
        try (Admin admin = Admin.create(settings)) {
            for (String topic : topics) {
                try {
                    partitions.put(topic, admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .get(topic).partitions().size());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        throw new ConfigException("Kafka topic " + topic + " does not exist at " + kafka.bootstrapServers()
                                + " (create it, or point the kafka.*_topic settings at existing topics)");
                    }
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                        throw new ConfigException("Kafka at " + kafka.bootstrapServers() + " refused: " + e.getCause().getMessage());
                    }
                    throw unreachable(kafka);
                } catch (TimeoutException e) {
                    throw unreachable(kafka);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while checking Kafka at " + kafka.bootstrapServers());
        }
        return partitions;
    }

    private static ConfigException unreachable(KafkaSettings kafka) {
        return new ConfigException("cannot reach Kafka at " + kafka.bootstrapServers() + " within " + TIMEOUT_SECONDS
                + " s (set kafka.bootstrap_servers)");
    }
}
