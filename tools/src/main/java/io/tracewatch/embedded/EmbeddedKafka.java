package io.tracewatch.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real Apache Kafka broker in KRaft mode (one node, broker and controller combined), run in this
 * JVM on free loopback ports, for the demo and the integration tests. Not for production.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** The broker's transaction.max.timeout.ms: the longest producer transaction timeout it accepts. */
    public static final long TRANSACTION_MAX_TIMEOUT_MS = 900_000;

    private final Path logDir;
    private final boolean ownsLogDir;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private String securedBootstrapServers;

    /**
     * A broker that also serves SASL_SSL with SCRAM-SHA-512 and enforces ACLs, as a secured site
     * runs it: the keystore (PKCS#12) holds the broker's certificate and key. Its plain listener
     * stays on loopback for setting up users, topics and ACLs (its anonymous principal is a super
     * user); clients use {@link #securedBootstrapServers()}.
     */
    public record Security(Path keystore, String keystorePassword) {}

    private EmbeddedKafka(Path logDir, boolean ownsLogDir, KafkaRaftServer server, String bootstrapServers) {
        this.logDir = logDir;
        this.ownsLogDir = ownsLogDir;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker whose data lives in a new temporary directory, deleted on close. */
    public static EmbeddedKafka start() throws Exception {
        return start(Files.createTempDirectory("tracewatch-kafka-"), true);
    }

    /** Starts a broker whose data lives in {@code logDir}, which the caller owns. */
    public static EmbeddedKafka start(Path logDir) throws Exception {
        return start(logDir, 0);
    }

    /**
     * Starts a broker listening on {@code port} of localhost (0: a free one) whose data lives in
     * {@code logDir}, which the caller owns; a directory of an earlier run is used as it is.
     */
    public static EmbeddedKafka start(Path logDir, int port) throws Exception {
        return start(Files.createDirectories(logDir), false, port, null);
    }

    /** Starts a broker with SASL_SSL and ACLs beside its plain listener: see {@link Security}. */
    public static EmbeddedKafka startSecured(Security security) throws Exception {
        return start(Files.createTempDirectory("tracewatch-kafka-"), true, 0, security);
    }

    private static EmbeddedKafka start(Path logDir, boolean ownsLogDir) throws Exception {
        return start(logDir, ownsLogDir, 0, null);
    }

    private static EmbeddedKafka start(Path logDir, boolean ownsLogDir, int port, Security security) throws Exception {
        int brokerPort = port == 0 ? freePort() : port;
        int controllerPort = freePort();
        int securedPort = security == null ? -1 : freePort();
        new Formatter()
                .setNodeId(1)
                .setClusterId(clusterId(logDir))
                .setDirectories(List.of(logDir.toString()))
                .setControllerListenerName(CONTROLLER_LISTENER)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setHasDynamicQuorum(false)
                .setIgnoreFormatted(true)
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                .run();
        Properties properties = properties(logDir, brokerPort, controllerPort);
        if (security != null) {
            secure(properties, security, brokerPort, securedPort, controllerPort);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(logDir, ownsLogDir, server, "localhost:" + brokerPort);
        if (security != null) {
            kafka.securedBootstrapServers = "localhost:" + securedPort;
        }
        kafka.awaitReady();
        return kafka;
    }

    /** The id of the cluster whose data {@code logDir} holds, or a new one for an empty directory. */
    private static String clusterId(Path logDir) throws IOException {
        Path meta = logDir.resolve("meta.properties");
        if (Files.exists(meta)) {
            Properties formatted = new Properties();
            try (var in = Files.newInputStream(meta)) {
                formatted.load(in);
            }
            String id = formatted.getProperty("cluster.id");
            if (id != null) {
                return id;
            }
        }
        return Uuid.randomUuid().toString();
    }

    private static Properties properties(Path logDir, int brokerPort, int controllerPort) {
        Properties props = new Properties();
        props.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@localhost:" + controllerPort),
                Map.entry("controller.listener.names", CONTROLLER_LISTENER),
                Map.entry("listeners", "PLAINTEXT://localhost:" + brokerPort + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", logDir.toString()),
                Map.entry("num.partitions", "1"),
                Map.entry("auto.create.topics.enable", "false"),
                // one node: internal topics cannot be replicated, and small ones start faster
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "4"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "4"),
                Map.entry("transaction.max.timeout.ms", Long.toString(TRANSACTION_MAX_TIMEOUT_MS)),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1")));
        return props;
    }

    private static void secure(Properties props, Security security, int brokerPort, int securedPort, int controllerPort) {
        props.put("listeners", "PLAINTEXT://localhost:" + brokerPort + ",SASL_SSL://localhost:" + securedPort + ","
                + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort + ",SASL_SSL://localhost:" + securedPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", security.keystore().toString());
        props.put("ssl.keystore.password", security.keystorePassword());
        props.put("ssl.key.password", security.keystorePassword());
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:ANONYMOUS");
    }

    /** The SASL_SSL listener of a broker started with {@link #startSecured}. */
    public String securedBootstrapServers() {
        if (securedBootstrapServers == null) {
            throw new IllegalStateException("this broker was started without security");
        }
        return securedBootstrapServers;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("embedded Kafka broker did not become ready at " + bootstrapServers, last);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Creates every topic the configuration names that does not exist yet: see {@link Topics}. */
    public void createTopics(io.tracewatch.io.kafka.KafkaSettings settings) throws Exception {
        Topics.create(bootstrapServers, settings);
    }

    /** {@link #createTopics(io.tracewatch.io.kafka.KafkaSettings)} with {@code scanPartitions} partitions of the scans topic. */
    public void createTopics(io.tracewatch.io.kafka.KafkaSettings settings, int scanPartitions) throws Exception {
        Topics.create(bootstrapServers, settings, scanPartitions);
    }

    /** Creates the topic with the given partitions unless it exists. */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = admin()) {
            Topics.create(admin, new NewTopic(name, partitions, (short) 1));
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (ownsLogDir) {
            ScratchDirectory.deleteRecursively(logDir);
        }
    }
}
