package io.tracewatch.bench;

import io.tracewatch.detect.CodeDetector;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.io.codec.ScanEventJson;
import io.tracewatch.io.file.FileScanSource;
import io.tracewatch.io.file.ReplayProgress;
import io.tracewatch.job.DetectionTopology;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.EventType;
import io.tracewatch.model.PartyType;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.savepoint.SavepointNames;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Issue 25's workload shaped like a region: N codes already held, all sealed, written straight
 * into a savepoint with Flink's State Processor API (never streamed through the job), then live
 * traffic (new packs commissioned and scanned along their chain over weeks, and one scan in a
 * hundred a sale of a code sealed long ago) through the live topology restored from it; against
 * the same traffic on an empty state; then the alert latency of {@link LatencyBenchmark}'s live
 * traffic on the held state and on an empty one. Held codes are fresh copies of generated sealed
 * codes ({@link SealsAtRestBenchmark#freshCopy}), their newest scans 1.5 to 15 months before the traffic.
 */
final class YearsBenchmark {
    /** The live traffic starts well after every held code's newest scan, and within its retention. */
    static final Instant LIVE_START = Instant.parse("2027-06-01T00:00:00Z");
    private static final int HELD_EVERY = 100;
    private static final int TEMPLATES = 20_000;
    /** How long each state's alert latency is timed, with the traffic {@code bench --only latency} measures first. */
    private static final int LATENCY_SECONDS = 20;

    private final Benchmarks bench;
    private final Path work;
    private final PrintStream log;

    YearsBenchmark(Benchmarks bench, Path work, PrintStream log) {
        this.bench = bench;
        this.work = work;
        this.log = log;
    }

    /** The held run under each of {@code rocksdb}, then the empty one under the first. */
    List<Result> run(long heldCodes, long liveCodes, List<RocksDbSettings> rocksdb) throws Exception {
        Path dir = Files.createDirectories(work.resolve("years-" + heldCodes));
        SealedBytesBenchmark seals = new SealedBytesBenchmark(log);
        seals.run(TEMPLATES);
        Path traffic = dir.resolve("live.jsonl");
        long records = liveTraffic(liveCodes, heldCodes, traffic);
        log.printf("  years: writing %,d held codes into a savepoint...%n", heldCodes);
        long started = System.nanoTime();
        String savepoint = heldState(seals.sealed(), heldCodes, dir.resolve("held"));
        double buildSeconds = (System.nanoTime() - started) / 1e9;
        List<Result> held = new ArrayList<>();
        for (RocksDbSettings settings : rocksdb) {
            String name = held.isEmpty() ? "held" : "held, " + settings.name();
            held.add(live(name, settings, traffic, records, dir.resolve(settings.key() + "-held-run"), savepoint)
                    .with("rocksdb", settings.name())
                    .with("held_codes", heldCodes)
                    .with("held_savepoint_bytes", Benchmarks.size(Path.of(java.net.URI.create(savepoint))))
                    .with("held_build_seconds", buildSeconds));
        }
        Result empty = live("empty", rocksdb.get(0), traffic, records, dir.resolve("empty-run"), null).with("rocksdb", rocksdb.get(0).name());
        long emptyBytes = (long) empty.details().get("incremental_checkpoint_bytes");
        for (Result run : held) {
            long heldBytes = (long) run.details().get("incremental_checkpoint_bytes") - emptyBytes;
            run.with("of_empty", run.eventsPerSecond() / empty.eventsPerSecond()).with("bytes_per_sealed_code", (double) heldBytes / heldCodes);
        }
        // alert latency under the configured RocksDB settings (bench --only latency's job), whatever the first held run's were
        LatencyBenchmark latency = new LatencyBenchmark(bench, log);
        long delayMs = Benchmarks.LATENCY_DELAY_MS;
        String heldStart = latencyStart(rocksdb, dir, savepoint);
        withLatency(held.get(0), latency.run(delayMs, delayMs, LATENCY_SECONDS, Benchmarks.LATENCY_PACKS_PER_SECOND, false, heldStart));
        held.get(0).with("alert_latency_restored_from", heldStart.equals(savepoint) ? "held codes' savepoint" : "held run's last checkpoint");
        withLatency(empty, latency.run(delayMs, delayMs, LATENCY_SECONDS, Benchmarks.LATENCY_PACKS_PER_SECOND, false, null));
        held.add(empty);
        return held;
    }

    /**
     * Where the latency run on held state starts: the last checkpoint of the held run as configured,
     * when there was one (its held codes and live traffic, restored by copying files); else the
     * held codes' canonical savepoint, which is re-inserted key by key (half an hour for 100 million).
     */
    private static String latencyStart(List<RocksDbSettings> rocksdb, Path dir, String savepoint) throws IOException {
        for (RocksDbSettings settings : rocksdb) {
            if (settings.settings().isEmpty()) {
                return Benchmarks.latestCheckpoint(dir.resolve(settings.key() + "-held-run").resolve("checkpoints")).toUri().toString();
            }
        }
        return savepoint;
    }

    private static void withLatency(Result run, Result latency) {
        run.with("alert_latency_p50_ms", latency.details().get("p50_ms")).with("alert_latency_p99_ms", latency.details().get("p99_ms"))
                .with("alert_latency_max_ms", latency.details().get("max_ms")).with("alert_latency_unanswered", latency.details().get("unanswered"))
                .with("alert_latency_rocksdb", "as configured");
    }

    /** New packs from {@link #LIVE_START}, and after every hundredth record a sale of a held code at that record's time. */
    private long liveTraffic(long liveCodes, long heldCodes, Path file) throws Exception {
        log.printf("  years: generating live traffic of %,d new codes...%n", liveCodes);
        ScanGenerator generator = new ScanGenerator(ScanGenerator.Settings.defaults(Benchmarks.TRAFFIC_SEED, liveCodes).withStart(LIVE_START),
                label -> {});
        SplittableRandom random = new SplittableRandom(26);
        long lines = 0;
        Instant now = LIVE_START;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (generator.hasNext()) {
                ScanGenerator.GeneratedScan scan = generator.next();
                out.write(scan.json());
                out.newLine();
                now = scan.event() == null ? now : scan.event().getEventTime();
                if (++lines % HELD_EVERY == 0) {
                    out.write(ScanEventJson.encode(saleOfHeld(random.nextLong(heldCodes), now, random)));
                    out.newLine();
                    lines++;
                }
            }
        }
        return lines;
    }

    static ScanEvent saleOfHeld(long index, Instant at, SplittableRandom random) {
        int pharmacy = random.nextInt(60);
        return ScanEvent.newBuilder()
                .setEventId(SealsAtRestBenchmark.hex32(random))
                .setCode(SealsAtRestBenchmark.code(index))
                .setEventType(EventType.SELL)
                .setEventTime(at)
                .setEventTimeOffsetS(28_800)
                .setPartyId(String.format("PH-120105-%04d", pharmacy))
                .setPartyType(PartyType.PHARMACY)
                .setRegion("120105")
                .setLat(39.1 + pharmacy / 1000.0)
                .setLon(117.2)
                .setTransactionId(SealsAtRestBenchmark.transaction(random))
                .build();
    }

    /** N held codes written by the State Processor API as the detector's state, each with its retention timer. */
    String heldState(List<CodeState> sealed, long heldCodes, Path savepoint) throws Exception {
        List<byte[]> templates = new ArrayList<>(sealed.size());
        DataOutputSerializer out = new DataOutputSerializer(512);
        for (CodeState state : sealed) {
            out.clear();
            CodeStateSerializer.INSTANCE.serialize(state, out);
            templates.add(out.getCopyOfBuffer());
        }
        TracewatchConfig config = bench.config();
        StreamExecutionEnvironment env = bench.environment(config, false);
        // the State Processor API passes the written state on as generic types, which the job settings
        // refuse and Kryo cannot copy (a private class inside): in one chain, with object reuse, it never copies them
        env.configure(Configuration.fromMap(Map.of("pipeline.generic-types", "true", "pipeline.object-reuse", "true")));
        env.setParallelism(1);
        SavepointWriter.newSavepoint(env, new EmbeddedRocksDBStateBackend(true), config.job().maxParallelism())
                .withOperator(OperatorIdentifier.forUid(SavepointNames.DETECTOR_UID),
                        OperatorTransformation.bootstrapWith(env.fromSequence(0, heldCodes - 1))
                                .keyBy(SealsAtRestBenchmark::code, Types.STRING)
                                .transform(new HeldCodes(templates)))
                .write(savepoint.toUri().toString());
        env.execute("bench years: held codes");
        return savepoint.toUri().toString();
    }

    /**
     * Reads the traffic through the live topology, from {@code savepoint} or empty, checkpointing
     * incrementally; events/s over the second half of the records (a restore of held codes overlaps
     * the first), over all of them, the seconds before the first record, and the last checkpoint's
     * bytes.
     */
    private Result live(String name, RocksDbSettings rocksdb, Path traffic, long records, Path dir, String savepoint) throws Exception {
        log.printf("  years: live traffic on %s state...%n", name);
        List<String> settings = new ArrayList<>(rocksdb.settingsIn(dir));
        settings.addAll(List.of("job.checkpoint_interval_ms=10000", "job.checkpoint_dir=" + dir.resolve("checkpoints").toUri()));
        TracewatchConfig config = bench.config(settings);
        StreamExecutionEnvironment env = bench.environment(config, true, savepoint);
        JobRest rest = JobRest.of(env);
        DetectionTopology.detect(env, config, DetectionTopology.decode(env, config, FileScanSource.heldOpen(List.of(traffic))), true)
                .sinkTo(new DiscardingSink<>());
        ReplayProgress.reset();
        long submitted = System.nanoTime();
        JobClient job = env.executeAsync("bench years: " + name);
        // timed from the first record read: restoring the held codes is recovery's cost, measured apart
        while (ReplayProgress.recordsRead() == 0) {
            Thread.sleep(10);
        }
        long started = System.nanoTime();
        long halfRead = 0;
        while (ReplayProgress.recordsRead() < records) {
            if (halfRead == 0 && ReplayProgress.recordsRead() >= records / 2) {
                halfRead = System.nanoTime();
            }
            Thread.sleep(50);
        }
        long ended = System.nanoTime();
        double seconds = (ended - started) / 1e9;
        Thread.sleep(config.job().checkpointIntervalMs() * 2);
        // a held run restores its codes while the first records are read: the second half is the steady rate
        double secondHalf = (ended - (halfRead == 0 ? started : halfRead)) / 1e9;
        Result result = rest.addCheckpointsTo(Result.of("years", name, records - records / 2, secondHalf), job.getJobID());
        job.cancel().get();
        return result.with("all_records_events_per_second", records / seconds)
                .with("start_seconds", (started - submitted) / 1e9)
                .with("incremental_checkpoint_bytes", Benchmarks.latestIncrementalCheckpoint(dir.resolve("checkpoints")));
    }

    /** The held code of this index, a fresh copy of {@code template}. */
    static CodeState heldCode(CodeState template, long index) {
        return SealsAtRestBenchmark.freshCopy(template, index, new SplittableRandom(index));
    }

    /** Each held code's state and retention timer; the templates travel as their bytes, read once per task. */
    private static final class HeldCodes extends KeyedStateBootstrapFunction<String, Long> {
        private final List<byte[]> templateBytes;
        private transient List<CodeState> templates;
        private transient ValueState<CodeState> state;

        HeldCodes(List<byte[]> templateBytes) {
            this.templateBytes = templateBytes;
        }

        @Override
        public void open(OpenContext context) throws Exception {
            state = getRuntimeContext().getState(CodeDetector.stateDescriptor());
            templates = new ArrayList<>(templateBytes.size());
            for (byte[] bytes : templateBytes) {
                templates.add(CodeStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)));
            }
        }

        @Override
        public void processElement(Long index, Context context) throws Exception {
            // heldCode copies the template deeply: the shared one is never changed
            CodeState code = heldCode(templates.get((int) (index % templates.size())), index);
            state.update(code);
            // the bootstrap function's timer service is the detector's judging timers (the retention
            // timers have a service of their own): the same bytes at rest, and none fires within the traffic
            context.timerService().registerEventTimeTimer(code.getCleanupTimer());
        }
    }
}
