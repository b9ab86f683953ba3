package io.tracewatch.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A real standalone Flink cluster for tests: a JobManager and TaskManagers, each its own JVM,
 * started from flink-runtime's entry points (as Flink's scripts do, without flink-dist) on the
 * Flink jars of the test classpath. Jobs are submitted to it through its REST API.
 */
public final class StandaloneFlinkCluster implements AutoCloseable {
    private static final String JOB_MANAGER = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    private static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";

    private final Path dir;
    private final Path confDir;
    private final Configuration config;
    private final String classpath;
    /** The JobManagers started, with their REST ports; with high availability one leads, the others stand by. */
    private final List<Process> jobManagers = new ArrayList<>();
    private final List<Integer> restPorts = new ArrayList<>();
    private final List<Process> taskManagers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private StandaloneFlinkCluster(Path dir, Configuration config, String classpath) throws IOException {
        this.dir = dir;
        this.confDir = Files.createDirectories(dir.resolve("conf"));
        this.config = config;
        this.classpath = classpath;
        writeConfig();
        // a test JVM that dies must not leave a cluster running behind it
        Runtime.getRuntime().addShutdownHook(new Thread(this::destroyAll, "stop-flink-cluster"));
    }

    /**
     * Starts one more JobManager; with high availability it stands by until it wins the leader
     * election. Each has its own RPC and REST ports.
     */
    public void startJobManager() throws IOException {
        int rest = restPorts.isEmpty() ? config.get(org.apache.flink.configuration.RestOptions.PORT) : freePort();
        String rpc = restPorts.isEmpty() ? config.get(org.apache.flink.configuration.JobManagerOptions.PORT).toString()
                : Integer.toString(freePort());
        jobManagers.add(launch("jobmanager-" + jobManagers.size(), List.of("-Xmx512m"), JOB_MANAGER,
                List.of("-D", "rest.port=" + rest, "-D", "jobmanager.rpc.port=" + rpc)));
        restPorts.add(rest);
    }

    /**
     * A JobManager, a standby JobManager and one TaskManager with {@code slots} slots, with
     * ZooKeeper high availability on {@code zooKeeper} (host:port): leader election, job graphs
     * and checkpoints survive the loss of the leading JobManager.
     */
    public static StandaloneFlinkCluster startHighlyAvailable(Path dir, int slots, String zooKeeper) throws Exception {
        Map<String, String> ha = new LinkedHashMap<>();
        ha.put("high-availability.type", "zookeeper");
        ha.put("high-availability.zookeeper.quorum", zooKeeper);
        ha.put("high-availability.storageDir", dir.resolve("ha").toUri().toString());
        ha.put("high-availability.cluster-id", "/tracewatch-test");
        // a killed leader's ZooKeeper session, and so its leadership, ends after this
        ha.put("high-availability.zookeeper.client.session-timeout", "6000");
        ha.put("high-availability.zookeeper.client.connection-timeout", "3000");
        StandaloneFlinkCluster cluster = start(dir, slots, ha);
        cluster.startJobManager();
        return cluster;
    }

    /** Starts a JobManager and one TaskManager with {@code slots} slots and waits until they are up. */
    public static StandaloneFlinkCluster start(Path dir, int slots, Map<String, String> settings) throws Exception {
        int restPort = freePort();
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("jobmanager.rpc.address", "localhost");
        conf.put("jobmanager.rpc.port", Integer.toString(freePort()));
        conf.put("jobmanager.bind-host", "localhost");
        conf.put("jobmanager.memory.process.size", "1024m");
        conf.put("rest.address", "localhost");
        conf.put("rest.bind-address", "localhost");
        conf.put("rest.port", Integer.toString(restPort));
        conf.put("taskmanager.host", "localhost");
        conf.put("taskmanager.bind-host", "localhost");
        conf.put("taskmanager.numberOfTaskSlots", Integer.toString(slots));
        conf.put("taskmanager.memory.process.size", "1280m");
        conf.put("taskmanager.cpu.cores", Integer.toString(slots));
        // a killed TaskManager is noticed in seconds, not the default minute
        conf.put("heartbeat.interval", "1000");
        conf.put("heartbeat.timeout", "5000");
        conf.put("pekko.ask.timeout", "30 s");
        conf.putAll(settings);
        Configuration config = Configuration.fromMap(conf);
        StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(dir, config, flinkClasspath());
        cluster.startJobManager();
        cluster.awaitRest();
        cluster.startTaskManager();
        return cluster;
    }

    /**
     * What flink-dist would put on a cluster's classpath, taken from the test classpath: Flink's own
     * jars and their dependencies, without tracewatch, its connectors and formats, and test tools.
     * The job jar brings those; a connector on both sides would be loaded parent-first while the
     * client library it links to is loaded child-first from the job jar, and the two would clash.
     */
    private static String flinkClasspath() {
        Path project = Paths.get("").toAbsolutePath().getParent();
        List<String> jobOnly = List.of("tracewatch-", "flink-connector-kafka", "flink-avro", "avro-", "kafka", "scala-",
                "jackson-", "snakeyaml-2", "junit", "assertj", "testcontainers", "docker-java", "flink-test-utils", "opentest4j",
                "curator-", "zookeeper-");
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Paths.get(entry).toAbsolutePath().startsWith(project))
                .filter(entry -> jobOnly.stream().noneMatch(prefix -> Paths.get(entry).getFileName().toString().startsWith(prefix)))
                .filter(entry -> !entry.endsWith("-tests.jar"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private void writeConfig() throws IOException {
        StringBuilder yaml = new StringBuilder();
        config.toMap().forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        Files.writeString(confDir.resolve("config.yaml"), yaml.toString());
        Files.writeString(confDir.resolve("log4j.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1}: %m%n",
                ""));
    }

    private Process launch(String name, List<String> jvmOptions, String mainClass, List<String> arguments) throws IOException {
        return launch(name, jvmOptions, mainClass, arguments, true);
    }

    /** Starts a Flink process; a cluster process takes {@code --configDir}, the client finds it in FLINK_CONF_DIR. */
    private Process launch(String name, List<String> jvmOptions, String mainClass, List<String> arguments, boolean clusterProcess)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dlog.file=" + dir.resolve(name + ".log"));
        command.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri());
        command.add("--add-opens=java.base/java.util=ALL-UNNAMED");
        command.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        if (clusterProcess) {
            command.add("--configDir");
            command.add(confDir.toString());
        }
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("FLINK_CONF_DIR", confDir.toString());
        return builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".out").toFile()))
                .start();
    }

    /**
     * Starts one more TaskManager, with the JVM flags and dynamic settings Flink's scripts would
     * compute, and waits until it has registered. A TaskManager started again with the same
     * {@code taskmanager.resource-id} (to find its local state) registers under its old id at a new address.
     */
    public void startTaskManager() throws Exception {
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(config);
        List<String> jvm = Arrays.asList(ProcessMemoryUtils.generateJvmParametersStr(spec).trim().split("\\s+"));
        List<String> dynamic = Arrays.asList(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec).trim().split("\\s+"));
        java.util.Set<String> known = registeredTaskManagers();
        taskManagers.add(launch("taskmanager-" + taskManagers.size(), jvm, TASK_MANAGER, dynamic));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (known.containsAll(registeredTaskManagers())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("TaskManager did not register: " + tail("taskmanager-" + (taskManagers.size() - 1)));
            }
            Thread.sleep(200);
        }
    }

    /**
     * Submits a job jar with Flink's own command line, {@code flink run --detached JAR ARGS}: the
     * client in a process of its own, on the cluster's classpath and configuration, as Flink's
     * script runs it. Returns the id of the submitted job.
     */
    public org.apache.flink.api.common.JobID flinkRun(Path jar, List<String> programArguments) throws Exception {
        return flinkRun(List.of(), jar, programArguments);
    }

    /** As {@link #flinkRun(Path, List)}, with options of {@code flink run} before the jar, e.g. {@code --fromSavepoint DIR}. */
    public org.apache.flink.api.common.JobID flinkRun(List<String> runOptions, Path jar, List<String> programArguments) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("run", "--detached"));
        arguments.addAll(runOptions);
        arguments.add(jar.toAbsolutePath().toString());
        arguments.addAll(programArguments);
        String name = "flink-run-" + System.nanoTime();
        Process client = launch(name, List.of("-Xmx256m"), "org.apache.flink.client.cli.CliFrontend", arguments, false);
        if (!client.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new IllegalStateException("flink run did not return in 2 minutes: " + tail(name));
        }
        String output = Files.readString(dir.resolve(name + ".out"));
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("JobID ([0-9a-f]{32})").matcher(output);
        if (client.exitValue() != 0 || !id.find()) {
            throw new IllegalStateException("flink run failed with exit code " + client.exitValue() + ": " + tail(name));
        }
        return org.apache.flink.api.common.JobID.fromHexString(id.group(1));
    }

    /** Kills the newest TaskManager with SIGKILL, as a machine failure would. */
    public void killTaskManager() throws InterruptedException {
        Process victim = taskManagers.get(taskManagers.size() - 1);
        victim.destroyForcibly();
        victim.waitFor();
    }

    /** Addresses of the TaskManagers the JobManager lists (a killed one stays listed until its heartbeat times out). */
    private java.util.Set<String> registeredTaskManagers() throws Exception {
        java.util.Set<String> addresses = new java.util.HashSet<>();
        String body = get("/taskmanagers");
        if (body != null) {
            java.util.regex.Matcher address = java.util.regex.Pattern.compile("\"path\":\"([^\"]+)\"").matcher(body);
            while (address.find()) {
                addresses.add(address.group(1));
            }
        }
        return addresses;
    }

    private void awaitRest() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (get("/overview") == null) {
            if (System.nanoTime() > deadline || jobManagers.stream().noneMatch(Process::isAlive)) {
                throw new IllegalStateException("JobManager did not start: " + tail("jobmanager-0"));
            }
            Thread.sleep(200);
        }
    }

    /** Waits until the job runs with every task running (after a submission, a failover or a takeover). */
    public void awaitAllTasksRunning(org.apache.flink.api.common.JobID job) throws Exception {
        awaitAllTasksRunning(job, Duration.ofSeconds(120));
    }

    /** As {@link #awaitAllTasksRunning(org.apache.flink.api.common.JobID)}, for a restore that may take {@code longest}. */
    public void awaitAllTasksRunning(org.apache.flink.api.common.JobID job, Duration longest) throws Exception {
        long deadline = System.nanoTime() + longest.toNanos();
        while (System.nanoTime() < deadline) {
            String detail = get("/jobs/" + job);
            if (detail != null && detail.contains("\"state\":\"RUNNING\"") && !detail.contains("\"status\":\"INITIALIZING\"")
                    && !detail.contains("\"status\":\"CREATED\"") && !detail.contains("\"status\":\"SCHEDULED\"")
                    && !detail.contains("\"status\":\"DEPLOYING\"")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("job " + job + " did not get all its tasks running");
    }

    /** Waits until the job has failed over since {@code since} (it entered RUNNING after it) and every task runs again. */
    public void awaitRunningAgain(org.apache.flink.api.common.JobID job, java.time.Instant since, Duration longest) throws Exception {
        long deadline = System.nanoTime() + longest.toNanos();
        java.util.regex.Pattern running = java.util.regex.Pattern.compile("\"timestamps\":\\{[^}]*\"RUNNING\":(\\d+)");
        while (System.nanoTime() < deadline) {
            String detail = get("/jobs/" + job);
            java.util.regex.Matcher entered = running.matcher(detail == null ? "" : detail);
            if (entered.find() && Long.parseLong(entered.group(1)) > since.toEpochMilli()) {
                awaitAllTasksRunning(job, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("job " + job + " did not run again after " + since);
    }

    /** Kills the leading JobManager with SIGKILL, as a machine failure would; returns its index. */
    public int killLeadingJobManager() throws Exception {
        int leader = leader();
        jobManagers.get(leader).destroyForcibly();
        jobManagers.get(leader).waitFor();
        return leader;
    }

    /** The JobManager whose REST API answers: the leader (a standby answers only that an election is on). */
    private int leader() throws Exception {
        for (int i = 0; i < jobManagers.size(); i++) {
            if (jobManagers.get(i).isAlive() && get(restPorts.get(i), "/overview") != null) {
                return i;
            }
        }
        throw new IllegalStateException("no JobManager leads");
    }

    /** The last lines a process wrote, for a failure message (the test's directory is gone after it). */
    private String tail(String name) {
        StringBuilder text = new StringBuilder();
        for (String suffix : List.of(".out", ".log")) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve(name + suffix));
                text.append("\n--- ").append(name).append(suffix).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            } catch (IOException e) {
                text.append("\n(no ").append(name).append(suffix).append(')');
            }
        }
        return text.toString();
    }

    /** GET on the REST API of the leading JobManager; null while none answers. */
    public String get(String path) throws InterruptedException {
        for (int i = 0; i < jobManagers.size(); i++) {
            String body = jobManagers.get(i).isAlive() ? get(restPorts.get(i), path) : null;
            if (body != null) {
                return body;
            }
        }
        return null;
    }

    private String get(int port, String path) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        }
    }

    public RestClusterClient<StandaloneClusterId> client() throws Exception {
        return new RestClusterClient<>(config, StandaloneClusterId.getInstance());
    }

    public Configuration config() {
        return config;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        destroyAll();
    }

    private void destroyAll() {
        for (Process process : taskManagers) {
            process.destroyForcibly();
        }
        jobManagers.forEach(Process::destroyForcibly);
    }
}
