package io.tracewatch.bench;

import io.tracewatch.generate.GeneratedFiles;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.IngestedSerializer;
import io.tracewatch.io.file.FileScanSource;
import io.tracewatch.io.file.ReplayProgress;
import io.tracewatch.job.DetectionTopology;
import io.tracewatch.job.FlinkSettings;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.internal.Ingested;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The benchmarks of the {@code bench} command, each against a baseline measured in the same run:
 * the cost of each part of the pipeline (file → discard), the detection job against a passthrough
 * on Kafka with exactly-once delivery, alert latency to a read_committed consumer, state bytes per
 * code in checkpoints, (and, from the command, batch replay speed). Everything runs in this JVM: an embedded Flink and
 * an embedded Kafka broker.
 */
public final class Benchmarks {
    /** The generator's seed for every benchmark's traffic, and so for the register of its world. */
    static final long TRAFFIC_SEED = 7;

    private final Path work;
    private final int parallelism;
    private final PrintStream log;

    public Benchmarks(Path work, int parallelism, PrintStream log) {
        this.work = work;
        this.parallelism = parallelism;
        this.log = log;
    }

    int parallelism() {
        return parallelism;
    }

    /** Generated traffic of about {@code events} records in a file; reused when asked for again. */
    public Path traffic(long events) throws IOException {
        Path file = work.resolve("scans-" + events + ".jsonl");
        if (!Files.exists(file)) {
            log.printf("  generating %,d events...%n", events);
            long codes = Math.max(1, events * 100 / 616);
            GeneratedFiles.write(ScanGenerator.Settings.defaults(TRAFFIC_SEED, codes), file, work.resolve("labels-" + events + ".jsonl"));
        }
        return file;
    }

    static long lines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> !l.isBlank()).count();
        }
    }

    TracewatchConfig config(List<String> settings) {
        return config(settings.toArray(String[]::new));
    }

    TracewatchConfig config(String... settings) {
        List<String> all = new ArrayList<>(List.of(
                "job.parallelism=" + parallelism,
                "job.checkpoint_dir=" + work.resolve("checkpoints").toUri(),
                "job.savepoint_dir=" + work.resolve("savepoints").toUri()));
        all.addAll(List.of(settings));
        return TracewatchConfig.load(null, all);
    }

    StreamExecutionEnvironment environment(TracewatchConfig config, boolean checkpoints) {
        return environment(config, checkpoints, null);
    }

    /** As {@link #environment(TracewatchConfig, boolean)}, restoring from {@code savepoint} when it is not null. */
    StreamExecutionEnvironment environment(TracewatchConfig config, boolean checkpoints, String savepoint) {
        Configuration flink = FlinkSettings.streaming(config.job());
        if (savepoint != null) {
            flink.setString("execution.state-recovery.path", savepoint);
            // a checkpoint of another benchmark's job holds its sources' state too, which this job has no use for
            flink.setString("execution.state-recovery.ignore-unclaimed-state", "true");
        }
        // RocksDB's block cache and write buffers come from managed memory; an embedded Flink has
        // little by default, which would turn every state read into a disk read once state is large
        flink.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("1g"));
        if (!checkpoints) {
            flink.removeKey("execution.checkpointing.interval");
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(flink);
    }

    static double seconds(JobExecutionResult result) {
        return result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
    }

    /** The register's and the case stage's costs: see {@link ReferenceBenchmark}. */
    public List<Result> enrichment(long events) throws Exception {
        return new ReferenceBenchmark(this, work, log).enrichment(events);
    }

    /** The rules' walk with the lifecycle rules against without them: see {@link RuleCostBenchmark}. */
    public List<Result> ruleCost(long codes) {
        return new RuleCostBenchmark(log).run(codes);
    }

    /** Serialized bytes of a code's state whole and sealed, with realistic ids: see {@link SealedBytesBenchmark}. */
    public Result sealedBytes(int codes) throws Exception {
        return new SealedBytesBenchmark(log).run(codes);
    }

    /**
     * The bytes of {@code atRest} sealed codes in RocksDB, fully compacted, under each of the
     * RocksDB settings named: see {@link SealsAtRestBenchmark}. The codes are fresh copies of
     * {@code templates} sealed codes.
     */
    public List<Result> sealsAtRest(int templates, long atRest, List<String> rocksdb) throws Exception {
        SealedBytesBenchmark seals = new SealedBytesBenchmark(log);
        List<Result> results = new ArrayList<>(List.of(seals.run(templates)));
        SealsAtRestBenchmark rest = new SealsAtRestBenchmark(log, TracewatchConfig.defaults().job().maxParallelism());
        for (RocksDbSettings variant : RocksDbSettings.named(rocksdb)) {
            results.add(rest.run(seals.sealed(), atRest, variant, FlinkSettings.streaming(config(variant.settings()).job()), work));
        }
        return results;
    }

    /** Whether the settings of this short name pick another state backend than RocksDB (ForSt). */
    public static boolean otherStateBackend(String key) {
        return RocksDbSettings.named(List.of(key)).get(0).settings().stream().anyMatch(setting -> setting.startsWith("job.state_backend="));
    }

    /** The short names of the RocksDB settings the state benchmarks can compare. */
    public static List<String> rocksdbSettings() {
        return RocksDbSettings.keys();
    }

    /**
     * Live traffic with {@code heldCodes} sealed codes held, under each of the RocksDB settings
     * named, against the same on empty state: see {@link YearsBenchmark}.
     */
    public List<Result> years(long heldCodes, long liveCodes, List<String> rocksdb) throws Exception {
        return new YearsBenchmark(this, work, log).run(heldCodes, liveCodes, RocksDbSettings.named(rocksdb));
    }

    /** One value per code against a summary plus a map entry per event: see {@link StateLayoutBenchmark}. */
    public List<Result> stateLayout(long events) throws Exception {
        return new StateLayoutBenchmark(this, log).run(events);
    }

        public Result register(int parties) throws Exception {
        return new ReferenceBenchmark(this, work, log).register(parties);
    }

    // ---------------------------------------------------------------- the cost of each part

    /** What each part of the pipeline costs, file to discard, streaming: each stage adds one part. */
    public List<Result> parts(long events) throws Exception {
        Path file = traffic(events);
        long records = lines(file);
        List<Result> results = new ArrayList<>();
        log.println("  file → discard: warming up...");
        runStage(Stage.DECODE, file);
        for (Stage stage : Stage.values()) {
            log.printf("  file → discard: %s...%n", stage.label);
            results.add(Result.of("file → discard", stage.label, records, runStage(stage, file)));
        }
        return results;
    }

    private double runStage(Stage stage, Path file) throws Exception {
        TracewatchConfig config = config("job.state_backend=" + stage.backend);
        StreamExecutionEnvironment env = environment(config, false);
        SingleOutputStreamOperator<Ingested> scans = DetectionTopology.decode(env, config, new FileScanSource(List.of(file)));
        switch (stage) {
            case DECODE -> scans.sinkTo(new DiscardingSink<>()).name("discard");
            case KEY_BY -> scans.keyBy(s -> s.getEvent().getCode()).map(s -> s, IngestedSerializer.TYPE).sinkTo(new DiscardingSink<>());
            default -> DetectionTopology.detect(env, config, scans, stage.rules).sinkTo(new DiscardingSink<>());
        }
        return seconds(env.execute("bench " + stage));
    }

    // ---------------------------------------------------------------- one hot code

    /**
     * One code scanned {@code events} times against as many scans of ordinary codes, both through
     * detection on RocksDB: the history stays capped at {@code detection.max_events_per_code} and
     * the rest is refused, so a hot code costs a bounded state access per scan, never a rewrite of
     * a history that keeps growing.
     */
    public List<Result> hotKey(long events) throws Exception {
        Path normal = traffic(events);
        Path hot = work.resolve("hot-code-" + events + ".jsonl");
        try (java.io.BufferedWriter out = Files.newBufferedWriter(hot)) {
            java.time.Instant start = java.time.Instant.parse("2026-03-01T00:00:00Z");
            for (long i = 0; i < events; i++) {
                out.write("{\"event_id\":\"hot-" + i + "\",\"code\":\"86000000000000000001\",\"event_type\":\"RECEIVE\","
                        + "\"event_time\":\"" + start.plusSeconds(i) + "\",\"party_id\":\"PH-120101-0001\",\"party_type\":\"PHARMACY\","
                        + "\"counterparty_id\":\"DS-120000-0001\"}\n");
            }
        }
        log.println("  one hot code: ordinary codes...");
        Result ordinary = Result.of("hot code", "ordinary codes, detection", lines(normal), runStage(Stage.RULES_ROCKSDB, normal));
        log.println("  one hot code: one code scanned " + events + " times...");
        Result one = Result.of("hot code", "one code " + events + " times", events, runStage(Stage.RULES_ROCKSDB, hot));
        one.with("of_ordinary", one.eventsPerSecond() / ordinary.eventsPerSecond());
        return List.of(ordinary, one);
    }

    enum Stage {
        DECODE("decode (passthrough)", "hashmap", false),
        KEY_BY("decode + keyBy", "hashmap", false),
        STATE_HEAP("+ state, heap", "hashmap", false),
        STATE_ROCKSDB("+ state, RocksDB", "rocksdb", false),
        RULES_HEAP("+ rules, heap", "hashmap", true),
        RULES_ROCKSDB("+ rules, RocksDB (detection)", "rocksdb", true);

        final String label;
        final String backend;
        final boolean rules;

        Stage(String label, String backend, boolean rules) {
            this.label = label;
            this.backend = backend;
            this.rules = rules;
        }
    }

    // ---------------------------------------------------------------- Kafka to Kafka, exactly once

    /** Detection against a passthrough with the same source, serde and exactly-once Kafka sink: see {@link KafkaBenchmark}. */
    public List<Result> kafka(long events) throws Exception {
        return new KafkaBenchmark(this, log).run(events);
    }

    // ---------------------------------------------------------------- latency

    /** The alert latency bench measures first and the years benchmark on its states: 5 s ordering delay and checkpoints. */
    public static final long LATENCY_DELAY_MS = 5000;
    /** Packs sold twice a second in the alert latency runs. */
    public static final int LATENCY_PACKS_PER_SECOND = 200;

    /** Alert latency to a read_committed consumer: see {@link LatencyBenchmark}. */
    public Result latency(long orderingDelayMs, long checkpointMs, int seconds, int packsPerSecond) throws Exception {
        return latency(orderingDelayMs, checkpointMs, seconds, packsPerSecond, false);
    }

    /** Alert or lead latency to a read_committed consumer: see {@link LatencyBenchmark}. */
    public Result latency(long orderingDelayMs, long checkpointMs, int seconds, int packsPerSecond, boolean leads) throws Exception {
        return new LatencyBenchmark(this, log).run(orderingDelayMs, checkpointMs, seconds, packsPerSecond, leads, null);
    }

    // ---------------------------------------------------------------- the feed

    /** Alerts per second the feed's event stream delivers to {@code clients} readers, and page load with the window full. */
    public List<Result> feed(int clients, int alerts) throws Exception {
        return FeedBenchmark.run(clients, alerts, log);
    }

    // ---------------------------------------------------------------- state size

    /**
     * Bytes per code in a RocksDB incremental checkpoint and in a full (canonical) savepoint after
     * {@code codes} codes.
     *
     * @param sealAfterDays {@code detection.seal_after_days} for the run: the generated traffic spans
     *     weeks, so a small value seals nearly every code
     */
    public Result stateSize(long codes, int sealAfterDays) throws Exception {
        Path dir = Files.createDirectories(work.resolve("state-" + codes));
        Path file = dir.resolve("scans.jsonl");
        log.printf("  state size: generating %,d codes...%n", codes);
        GeneratedFiles.write(ScanGenerator.Settings.defaults(11, codes), file, dir.resolve("labels.jsonl"));
        long records = lines(file);
        TracewatchConfig config = config("job.checkpoint_interval_ms=3000", "detection.seal_after_days=" + sealAfterDays,
                "job.checkpoint_dir=" + dir.resolve("checkpoints").toUri(), "job.savepoint_dir=" + dir.resolve("savepoints").toUri());
        StreamExecutionEnvironment env = environment(config, true);
        // a source that stays open once read, as a bootstrap's: the job keeps its state after reading, ready to be checkpointed
        DetectionTopology.detect(env, config, DetectionTopology.decode(env, config, FileScanSource.heldOpen(List.of(file))), true)
                .sinkTo(new DiscardingSink<>());
        ReplayProgress.reset();
        long started = System.nanoTime();
        JobClient job = env.executeAsync("bench state size");
        while (ReplayProgress.recordsRead() < records) {
            Thread.sleep(200);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(4000);
        String savepoint = job.triggerSavepoint(dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL).get();
        Thread.sleep(config.job().checkpointIntervalMs() + 2000);
        job.cancel().get();
        long savepointBytes = size(Path.of(java.net.URI.create(savepoint)));
        long checkpointBytes = latestIncrementalCheckpoint(dir.resolve("checkpoints"));
        return Result.of("state size", String.format("%,d codes, sealed after %d days", codes, sealAfterDays), records, seconds)
                .with("codes", codes)
                .with("seal_after_days", sealAfterDays)
                .with("incremental_checkpoint_bytes", checkpointBytes)
                .with("incremental_bytes_per_code", (double) checkpointBytes / codes)
                .with("full_savepoint_bytes", savepointBytes)
                .with("full_bytes_per_code", (double) savepointBytes / codes);
    }

    /** An incremental checkpoint is its own chk-N directory plus the shared SST files it refers to. */
    static long latestIncrementalCheckpoint(Path checkpoints) throws IOException {
        Path latest = latestCheckpoint(checkpoints);
        return size(latest) + size(latest.resolveSibling("shared"));
    }

    /** The newest completed checkpoint (one with its metadata written) of the one job under {@code checkpoints}. */
    static Path latestCheckpoint(Path checkpoints) throws IOException {
        try (Stream<Path> jobs = Files.list(checkpoints)) {
            Path job = jobs.filter(Files::isDirectory).findFirst().orElseThrow();
            try (Stream<Path> chk = Files.list(job)) {
                return chk.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
                        .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4)))).orElseThrow();
            }
        }
    }

    /** The bytes of the files under {@code path}; 0 when there is none. */
    public static long size(Path path) throws IOException {
        if (!Files.exists(path)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
