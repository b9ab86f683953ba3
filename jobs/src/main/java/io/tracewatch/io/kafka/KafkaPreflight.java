package io.tracewatch.io.kafka;

import io.tracewatch.settings.ConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before a job is submitted, that the broker answers and the topics exist: a wrong address
 * or a missing topic is then one clear message, not a job that retries silently.
 */
public final class KafkaPreflight {
    static final int TIMEOUT_SECONDS = 10;

    private KafkaPreflight() {}

    /** The live job's topics: everything it reads and writes; and a transaction timeout the broker accepts. */
    public static void check(KafkaSettings kafka, Properties client) {
        check(kafka, client, List.of(kafka.scansTopic(), kafka.alertsTopic(), kafka.deadLetterTopic(), kafka.casesTopic(),
                kafka.caseActionsTopic(), kafka.leadsTopic(), kafka.verifyRequestsTopic(), kafka.verificationsTopic()));
        checkTransactionTimeout(kafka, client);
    }

    /**
     * Refuses a {@code kafka.transaction_timeout_ms} above the broker's
     * {@code transaction.max.timeout.ms}, which every transactional sink would be refused at start.
     * A broker that does not let this client read its configuration is not checked.
     */
    static void checkTransactionTimeout(KafkaSettings kafka, Properties client) {
        try (Admin admin = Admin.create(adminSettings(kafka, client))) {
            Node node = admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).iterator().next();
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, node.idString());
            ConfigEntry max = admin.describeConfigs(List.of(broker)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(broker)
                    .get("transaction.max.timeout.ms");
            if (max != null && max.value() != null && kafka.transactionTimeoutMs() > Long.parseLong(max.value())) {
                throw new ConfigException("kafka.transaction_timeout_ms " + kafka.transactionTimeoutMs() + " is above the broker's "
                        + "transaction.max.timeout.ms " + max.value() + " at " + kafka.bootstrapServers()
                        + ": lower it, or raise the broker's limit");
            }
        } catch (ExecutionException | TimeoutException | NumberFormatException | java.util.NoSuchElementException e) {
            // a broker that hides its configuration, or stopped answering since the topic check, is not checked
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fails with one line when the broker cannot be reached or one of {@code topics} does not exist. */
    public static void check(KafkaSettings kafka, Properties client, List<String> topics) {
        partitions(kafka, client, topics);
    }

    /** As {@link #check}, and returns how many partitions each topic has. */
    public static Map<String, Integer> partitions(KafkaSettings kafka, Properties client, List<String> topics) {
        Map<String, Integer> partitions = new LinkedHashMap<>();
        try (Admin admin = Admin.create(adminSettings(kafka, client))) {
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

    /** An admin client's settings that give up within the timeout. */
    static Properties adminSettings(KafkaSettings kafka, Properties client) {
        Properties settings = new Properties();
        settings.putAll(client);
        settings.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        settings.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(TIMEOUT_SECONDS * 1000));
        settings.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(TIMEOUT_SECONDS * 1000));
        return settings;
    }

    /** Whether the broker answers within the timeout: for a command that follows a topic and must say when Kafka is gone. */
    public static boolean reachable(KafkaSettings kafka, Properties client) {
        Admin admin = Admin.create(adminSettings(kafka, client));
        try {
            admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            // a plain close waits for the client's calls to a broker that does not answer: the answer is already known
            admin.close(Duration.ZERO);
        }
    }

    /** Fails with one line when the broker does not answer within the timeout. */
    public static void requireReachable(KafkaSettings kafka, Properties client) {
        if (!reachable(kafka, client)) {
            throw unreachable(kafka);
        }
    }

    private static ConfigException unreachable(KafkaSettings kafka) {
        return new ConfigException("cannot reach Kafka at " + kafka.bootstrapServers() + " within " + TIMEOUT_SECONDS
                + " s (set kafka.bootstrap_servers)");
    }
}
