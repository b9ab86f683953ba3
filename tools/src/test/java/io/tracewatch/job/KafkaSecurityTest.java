package io.tracewatch.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewatch.cli.MainAccess;
import io.tracewatch.embedded.EmbeddedKafka;
import io.tracewatch.io.kafka.KafkaClientProperties;
import io.tracewatch.testing.FlinkCluster;
import io.tracewatch.testing.JobTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka as a secured site runs it: SASL_SSL with SCRAM-SHA-512, certificates made at test time with
 * the JDK's keytool, ACLs that give each principal its column of docs/operations.md. The live job,
 * generate and the commands connect with credentials from a properties file; the feed's principal
 * reads alerts and cannot write them; a wrong password is one line, fast.
 */
class KafkaSecurityTest {
    private static final String STORE_PASSWORD = "changeit-for-tests";

    @RegisterExtension
    static final FlinkCluster FLINK = new FlinkCluster(4);

    @TempDir
    static Path dir;

    private static EmbeddedKafka kafka;
    private static Path truststore;

    @BeforeAll
    static void startSecuredKafka() throws Exception {
        Path keystore = dir.resolve("broker.p12");
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        Path certificate = dir.resolve("broker.pem");
        keytool("-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
                "-file", certificate.toString());
        truststore = dir.resolve("clients-trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", STORE_PASSWORD);
        kafka = EmbeddedKafka.startSecured(new EmbeddedKafka.Security(keystore, STORE_PASSWORD));

        try (Admin admin = kafka.admin()) {
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            for (String user : List.of("job", "feed", "uploader")) {
                users.add(new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), user + "-secret"));
            }
            admin.alterUserScramCredentials(new ArrayList<>(users)).all().get(30, TimeUnit.SECONDS);
            List<AclBinding> acls = new ArrayList<>();
            // the job: every topic of its site, its consumer groups and its transactions
            acls.add(allow("job", ResourceType.TOPIC, "sec.", PatternType.PREFIXED, AclOperation.ALL));
            acls.add(allow("job", ResourceType.GROUP, "*", PatternType.LITERAL, AclOperation.ALL));
            acls.add(allow("job", ResourceType.TRANSACTIONAL_ID, "sec", PatternType.PREFIXED, AclOperation.ALL));
            // the feed: reads what the job writes, writes only case actions and verification requests
            for (String topic : List.of("sec.alerts", "sec.cases", "sec.leads", "sec.parties", "sec.verifications")) {
                acls.add(allow("feed", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
                acls.add(allow("feed", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
            }
            for (String topic : List.of("sec.case-actions", "sec.verify-requests")) {
                acls.add(allow("feed", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
                acls.add(allow("feed", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
            }
            acls.add(allow("feed", ResourceType.GROUP, "*", PatternType.LITERAL, AclOperation.READ));
            // uploaders: the scans topic, nothing else
            acls.add(allow("uploader", ResourceType.TOPIC, "sec.scans", PatternType.LITERAL, AclOperation.WRITE));
            acls.add(allow("uploader", ResourceType.TOPIC, "sec.scans", PatternType.LITERAL, AclOperation.DESCRIBE));
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String printed = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(printed).isZero();
    }

    /** A client properties file as a site writes it: never in the repository, named by kafka.client_properties_file. */
    private static Path credentials(String user, String password) throws Exception {
        return Files.writeString(dir.resolve(user + "-" + password.hashCode() + ".properties"), String.join("\n",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                        + "\" password=\"" + password + "\";",
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.location=" + truststore,
                "ssl.truststore.password=" + STORE_PASSWORD) + "\n");
    }

    private static Properties clientProperties(Path file) {
        TracewatchConfig config = TracewatchConfig.load(null, List.of("kafka.bootstrap_servers=" + kafka.securedBootstrapServers(),
                "kafka.client_properties_file=" + file));
        Properties properties = KafkaClientProperties.load(config.kafka());
        properties.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.securedBootstrapServers());
        return properties;
    }

    private static MainAccess.Result run(String... args) {
        return MainAccess.capture(args);
    }

    @Test
    void theJobAndTheCommandsWorkOverSaslSslAndEachPrincipalKeepsToItsColumn() throws Exception {
        List<String> settings = JobTopics.settings(kafka, "sec", 2, dir);
        settings.addAll(List.of("kafka.bootstrap_servers=" + kafka.securedBootstrapServers(), "job.checkpoint_interval_ms=500",
                "kafka.client_properties_file=" + credentials("job", "job-secret")));
        TracewatchConfig config = TracewatchConfig.load(null, settings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.streaming(config.job()));
        StreamingJob.build(env, config);
        JobClient job = env.executeAsync(StreamingJob.NAME);

        String secured = "kafka.bootstrap_servers=" + kafka.securedBootstrapServers();
        MainAccess.Result generated = run("generate", "--codes", "40", "--anomaly-rate", "0.5", "--topic", "sec.scans", "--labels",
                dir.resolve("labels.jsonl").toString(), "--set", secured, "--set", "kafka.client_properties_file=" + credentials("uploader", "uploader-secret"));
        assertThat(generated.exit()).as(generated.err()).isZero();
        long expected = Files.readAllLines(dir.resolve("labels.jsonl")).size();
        assertThat(expected).isPositive();

        Properties feed = clientProperties(credentials("feed", "feed-secret"));
        List<ConsumerRecord<byte[], byte[]>> alerts = new ArrayList<>();
        Properties reader = new Properties();
        reader.putAll(feed);
        reader.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "sec-feed");
        reader.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        reader.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(reader, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("sec.alerts"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline && alerts.size() < expected) {
                consumer.poll(Duration.ofMillis(200)).forEach(alerts::add);
            }
        } finally {
            job.cancel().get();
        }
        assertThat(alerts).as("alerts read by the feed's principal over SASL_SSL").hasSizeGreaterThanOrEqualTo((int) expected);

        // the feed's principal may not write alerts, the uploader's may not read them
        try (KafkaProducer<byte[], byte[]> forger = new KafkaProducer<>(feed, new ByteArraySerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> forger.send(new ProducerRecord<>("sec.alerts", "{}".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        Properties uploader = clientProperties(credentials("uploader", "uploader-secret"));
        uploader.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "sec-snoop");
        uploader.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> snoop = new KafkaConsumer<>(uploader, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            snoop.subscribe(List.of("sec.alerts"));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 50; i++) {
                    snoop.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(TopicAuthorizationException.class);
        }

        // a wrong password: one line naming the failure, well within 15 s, and no retrying forever
        MainAccess.Result wrong = run("tail", "--set", secured, "--set", "kafka.alerts_topic=sec.alerts",
                "--set", "kafka.client_properties_file=" + credentials("feed", "not-the-password"));
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err().lines().findFirst().orElse("")).containsIgnoringCase("authentication").doesNotContain("not-the-password");
        assertThat(wrong.millis()).isLessThan(15_000);
    }
}
