package io.tracewatch.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tracewatch.cli.MainAccess;
import io.tracewatch.job.JobArguments;
import io.tracewatch.job.StreamingJob;
import io.tracewatch.job.TracewatchConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker/ and Kubernetes files cannot run here (no container engine), so they are checked against
 * the code instead: images, jar path, entry class, command, Flink and tracewatch settings.
 */
class DeploymentFilesTest {
    private static final Path DOCKER = Paths.get("..", "docker");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> FLINK_KEYS = new HashSet<>();

    private static String dockerfile;
    private static JsonNode compose;
    private static JsonNode deployment;

    @BeforeAll
    static void read() throws Exception {
        dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        // SnakeYAML resolves the file's anchors and aliases, which Jackson's tree reader does not
        compose = YAML.valueToTree(new org.yaml.snakeyaml.Yaml().load(Files.readString(DOCKER.resolve("compose.yaml"))));
        deployment = YAML.readTree(DOCKER.resolve("k8s/flinkdeployment.yaml").toFile());
        for (String holder : List.of("CheckpointingOptions", "StateBackendOptions", "RestartStrategyOptions", "JobManagerOptions",
                "TaskManagerOptions", "MetricOptions", "RestOptions", "CoreOptions", "PipelineOptions", "ExecutionOptions",
                "HighAvailabilityOptions")) {
            collectKeys(Class.forName("org.apache.flink.configuration." + holder));
        }
        collectKeys(Class.forName("org.apache.flink.state.rocksdb.RocksDBOptions"));
    }

    private static void collectKeys(Class<?> holder) throws IllegalAccessException {
        for (Field field : holder.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                FLINK_KEYS.add(option.key());
                option.fallbackKeys().forEach(k -> FLINK_KEYS.add(k.getKey()));
            }
        }
    }

    /** Flink settings must be options Flink knows (reporter settings are named per reporter). */
    private static void assertKnownFlinkKeys(Iterable<String> keys, String where) {
        for (String key : keys) {
            assertThat(FLINK_KEYS.contains(key) || key.matches("metrics\\.reporter\\.prom\\.(factory\\.class|port)"))
                    .as("%s: Flink setting %s", where, key).isTrue();
        }
    }

    private static String copiedTo(String source) {
        Matcher copy = Pattern.compile("(?m)^COPY\\s+" + Pattern.quote(source) + "\\s+(\\S+)").matcher(dockerfile);
        assertThat(copy.find()).as("Dockerfile copies " + source).isTrue();
        return copy.group(1);
    }

    @Test
    void theImageIsTheOfficialFlinkImageOfOurFlinkVersionWithTheJobJar() {
        assertThat(dockerfile).containsPattern("(?m)^FROM flink:" + Pattern.quote(org.apache.flink.runtime.util.EnvironmentInformation.getVersion()) + "-java17");
        assertThat(copiedTo("jobs/target/tracewatch-job.jar")).isEqualTo("/opt/flink/usrlib/tracewatch-job.jar");
        assertThat(Files.exists(Paths.get("..").resolve("docker/tracewatch.yaml"))).isTrue();
    }

    @Test
    void theSiteConfigurationInTheImageIsValid() {
        TracewatchConfig config = TracewatchConfig.load(DOCKER.resolve("tracewatch.yaml"), List.of());
        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.job().checkpointDir()).startsWith("file:///flink-data/");
    }

    @Test
    void composeRunsKafkaTheClusterTheTopicsAndTheJob() throws Exception {
        JsonNode services = compose.path("services");
        assertThat(ids(services)).contains("kafka", "topic-init", "jobmanager", "taskmanager", "job");
        JsonNode kafka = services.path("kafka").path("environment");
        assertThat(kafka.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        TracewatchConfig config = TracewatchConfig.load(DOCKER.resolve("tracewatch.yaml"), List.of());
        assertThat(kafka.path("KAFKA_TRANSACTION_MAX_TIMEOUT_MS").asLong()).isGreaterThanOrEqualTo(config.kafka().transactionTimeoutMs());

        String topicInit = services.path("topic-init").path("command").toString();
        // every topic the job checks for at start (run's preflight), and the reference topics
        for (String topic : List.of(config.kafka().scansTopic(), config.kafka().alertsTopic(), config.kafka().deadLetterTopic(),
                config.kafka().casesTopic(), config.kafka().caseActionsTopic(), config.kafka().leadsTopic(), config.kafka().verifyRequestsTopic(),
                config.kafka().verificationsTopic(), config.kafka().partiesTopic(), config.kafka().settingsTopic(), config.kafka().recallsTopic())) {
            assertThat(topicInit).contains(topic + ":");
        }

        String image = services.path("jobmanager").path("image").asText();
        assertThat(services.path("taskmanager").path("image").asText()).isEqualTo(image);
        assertThat(services.path("job").path("image").asText()).isEqualTo(image);
        assertThat(services.path("jobmanager").path("build").path("dockerfile").asText()).isEqualTo("docker/Dockerfile");

        String[] command = services.path("job").path("command").asText().trim().split("\\s+");
        assertThat(List.of(command).subList(0, 2)).containsExactly("flink", "run");
        int jar = List.of(command).indexOf(copiedTo("jobs/target/tracewatch-job.jar"));
        assertThat(jar).as("the job command runs the jar the image holds").isPositive();
        assertThat(command[jar + 1]).isEqualTo("--config");
        assertThat(command[jar + 2]).isEqualTo(copiedTo("docker/tracewatch.yaml"));
        assertArgumentsParse(List.of(command).subList(jar + 1, command.length));

        String properties = services.path("jobmanager").path("environment").path("FLINK_PROPERTIES").asText();
        Map<String, Object> flink = YAML.readValue(properties, Map.class);
        assertKnownFlinkKeys(flink.keySet(), "compose FLINK_PROPERTIES");
        assertThat(flink).containsEntry("state.backend.type", "rocksdb");
    }

    @Test
    void theKubernetesDeploymentRunsTheJarsMainWithSavepointUpgrades() throws Exception {
        assertThat(deployment.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(deployment.path("kind").asText()).isEqualTo("FlinkDeployment");
        JsonNode spec = deployment.path("spec");
        assertThat(spec.path("image").asText()).isEqualTo(compose.path("services").path("jobmanager").path("image").asText());
        JsonNode job = spec.path("job");
        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + copiedTo("jobs/target/tracewatch-job.jar"));
        assertThat(job.path("entryClass").asText()).isEqualTo(StreamingJob.class.getName());
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertArgumentsParse(YAML.convertValue(job.path("args"), List.class));

        JsonNode flink = spec.path("flinkConfiguration");
        assertKnownFlinkKeys(ids(flink), "FlinkDeployment flinkConfiguration");
        assertThat(flink.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(flink.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(flink.path("high-availability.storageDir").asText()).startsWith("file:///flink-data/");
        assertThat(spec.path("jobManager").path("replicas").asInt()).isEqualTo(2);
        assertThat(flink.path("execution.checkpointing.dir").asText()).isNotBlank();
        assertThat(flink.path("execution.checkpointing.savepoint-dir").asText()).isNotBlank();
        assertThat(flink.path("pipeline.max-parallelism").asInt())
                .isEqualTo(TracewatchConfig.load(DOCKER.resolve("tracewatch.yaml"), List.of()).job().maxParallelism());
    }

    @Test
    void theJarsNameTheEntryClassesTheDeploymentsAndUsersUse() throws Exception {
        assertThat(Files.readString(Paths.get("..", "jobs", "pom.xml"))).contains("<mainClass>" + StreamingJob.class.getName() + "</mainClass>");
        assertThat(Files.readString(Paths.get("pom.xml"))).contains("<mainClass>" + MainAccess.MAIN_CLASS + "</mainClass>");
    }

    /** The program arguments the deployment passes are ones the job jar accepts, with the image's configuration. */
    private static void assertArgumentsParse(List<String> args) {
        String[] local = args.stream()
                .map(a -> a.startsWith("/opt/tracewatch/config/") ? DOCKER.resolve("tracewatch.yaml").toString() : a).toArray(String[]::new);
        assertThat(JobArguments.load(local).kafka().bootstrapServers()).isEqualTo("kafka:9092");
    }

    private static Set<String> ids(JsonNode object) {
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
