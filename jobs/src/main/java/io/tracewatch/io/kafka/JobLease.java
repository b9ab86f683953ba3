package io.tracewatch.io.kafka;

import io.tracewatch.settings.ConfigException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One live job per {@code kafka.transactional_id_prefix} on a broker. Flink's Kafka source joins no
 * consumer group, so two jobs started with the same settings would both judge every scan and write
 * every alert twice, each in transactions of its own. A job started by {@code run} holds this lease
 * while it runs: a member of the consumer group {@code tracewatch-lease.<prefix>}, subscribed to the
 * scans topic with every partition paused, so it reads nothing. A second job finds the member and
 * is refused with one line; of two started at once, the one whose member id sorts first keeps it.
 * A lease whose process died lapses after the group's session timeout.
 */
public final class JobLease implements AutoCloseable {
    private static final Duration SESSION = Duration.ofSeconds(10);
    private static final Duration JOIN_LIMIT = Duration.ofSeconds(20);
    private static final int ADMIN_TIMEOUT_SECONDS = KafkaPreflight.TIMEOUT_SECONDS;

    private final KafkaConsumer<byte[], byte[]> member;
    private final Thread heartbeat;

    private JobLease(KafkaConsumer<byte[], byte[]> member) {
        this.member = member;
        this.heartbeat = new Thread(this::keepAlive, "tracewatch-job-lease");
        heartbeat.setDaemon(true);
    }

    /** The consumer group whose member holds the lease. */
    public static String group(KafkaSettings kafka) {
        return "tracewatch-lease." + kafka.transactionalIdPrefix();
    }

    /**
     * Takes the lease, or refuses with one line naming who holds it.
     *
     * @throws ConfigException when another job holds it, or the broker cannot be asked
     */
    public static JobLease acquire(KafkaSettings kafka, Properties client) {
        try (Admin admin = Admin.create(KafkaPreflight.adminSettings(kafka, client))) {
            refuseIfHeld(kafka, members(admin, kafka), null);
            KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(memberSettings(kafka, client));
            JobLease lease = new JobLease(member);
            try {
                String memberId = lease.join(kafka);
                refuseIfHeld(kafka, members(admin, kafka), memberId);
            } catch (RuntimeException e) {
                member.close(Duration.ofSeconds(5));
                throw e;
            }
            lease.heartbeat.start();
            return lease;
        }
    }

    private String join(KafkaSettings kafka) {
        member.subscribe(List.of(kafka.scansTopic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // nothing read, nothing to hand over
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                member.pause(partitions);
            }
        });
        long deadline = System.nanoTime() + JOIN_LIMIT.toNanos();
        while (member.groupMetadata().memberId().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new ConfigException("could not join the consumer group " + group(kafka) + " at " + kafka.bootstrapServers() + " within "
                        + JOIN_LIMIT.toSeconds() + " s, which the job holds so that it runs once");
            }
            member.poll(Duration.ofMillis(200));
        }
        return member.groupMetadata().memberId();
    }

    /** Refuses when a member other than {@code own} holds the group; of several new ones, the first by member id keeps it. */
    private static void refuseIfHeld(KafkaSettings kafka, List<MemberDescription> members, String own) {
        MemberDescription holder = members.stream()
                .min(Comparator.comparing(MemberDescription::consumerId))
                .filter(first -> !first.consumerId().equals(own))
                .orElse(null);
        if (holder != null) {
            throw new ConfigException("another tracewatch job runs with kafka.transactional_id_prefix '" + kafka.transactionalIdPrefix() + "' on "
                    + kafka.bootstrapServers() + " (" + holder.clientId() + " at " + holder.host().replaceFirst("^/", "")
                    + "): two would write every alert twice. Stop it first, or give this job its own kafka.transactional_id_prefix and "
                    + "kafka.group_id (a job that died is forgotten " + SESSION.toSeconds() + " s after)");
        }
    }

    private static List<MemberDescription> members(Admin admin, KafkaSettings kafka) {
        String group = group(kafka);
        try {
            return List.copyOf(admin.describeConsumerGroups(List.of(group)).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS).get(group).members());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw new ConfigException("cannot ask Kafka at " + kafka.bootstrapServers() + " whether another job runs: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new ConfigException("cannot ask Kafka at " + kafka.bootstrapServers() + " whether another job runs: "
                    + "no answer within " + ADMIN_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while asking Kafka at " + kafka.bootstrapServers() + " whether another job runs");
        }
    }

    private void keepAlive() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                member.poll(Duration.ofSeconds(1));
            }
        } catch (WakeupException closing) {
            // close() asked
        } finally {
            member.close(Duration.ofSeconds(5));
        }
    }

    /** Leaves the group: another job may start at once. */
    @Override
    public void close() throws InterruptedException {
        member.wakeup();
        heartbeat.join(TimeUnit.SECONDS.toMillis(10));
    }

    private static Properties memberSettings(KafkaSettings kafka, Properties client) {
        Properties settings = new Properties();
        settings.putAll(client);
        settings.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group(kafka),
                ConsumerConfig.CLIENT_ID_CONFIG, "tracewatch-run@" + hostName() + "-" + ProcessHandle.current().pid(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(SESSION.toMillis()),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(SESSION.toMillis() / 4),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        return settings;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }
}
