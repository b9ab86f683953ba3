package io.tracewatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.detect.SavepointFixtures;
import io.tracewatch.io.codec.ScanEventJson;
import io.tracewatch.io.file.FileOutputs;
import io.tracewatch.io.file.FileScanSource;
import io.tracewatch.io.ports.Inputs;
import io.tracewatch.job.DetectionTopology;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.model.internal.CodeState;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The years benchmark's held codes, written with the State Processor API, are the detector's
 * state as the live job reads it: every code sealed, each the copy of its template.
 */
class YearsBenchmarkTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path work;

    private Benchmarks bench;
    private List<CodeState> templates;

    /** A savepoint of 300 held codes, copies of 50 generated sealed templates. */
    private String heldCodes() throws Exception {
        bench = new Benchmarks(work, 2, QUIET);
        SealedBytesBenchmark seals = new SealedBytesBenchmark(QUIET);
        seals.run(50);
        templates = seals.sealed();
        return new YearsBenchmark(bench, work, QUIET).heldState(templates, 300, work.resolve("held"));
    }

    @Test
    void heldCodesAreWrittenAsTheDetectorsStateOfSealedCodes() throws Exception {
        String savepoint = heldCodes();

        Map<String, String> held = SavepointFixtures.states(Path.of(java.net.URI.create(savepoint)));
        assertThat(held).hasSize(300).allSatisfy((code, state) -> assertThat(state).contains("\"seal\": {"));
        // a template travels as its bytes, which keep no fingerprint of a seal's standing alerts
        DataOutputSerializer bytes = new DataOutputSerializer(512);
        CodeStateSerializer.INSTANCE.serialize(templates.get(7), bytes);
        CodeState template = CodeStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
        CodeState expected = YearsBenchmark.heldCode(template, 7);
        assertThat(held.get(SealsAtRestBenchmark.code(7))).isEqualTo(expected.toString());
    }

    /**
     * The ForSt variants of the benchmark are real: the held codes' savepoint restores into the live
     * topology on ForSt, local and with its files on a file-system path, and sales of held codes
     * raise the alerts they raise on RocksDB.
     */
    @Test
    void heldCodesRestoredOnForStAreJudgedAsOnRocksDb() throws Exception {
        String savepoint = heldCodes();
        Path scans = salesOfHeld(3);

        Map<String, Set<String>> alerts = new TreeMap<>();
        for (RocksDbSettings backend : RocksDbSettings.named(List.of("heap-timers", "forst", "forst-remote"))) {
            Path run = Files.createDirectories(work.resolve(backend.key()));
            TracewatchConfig config = bench.config(backend.settingsIn(run));
            StreamExecutionEnvironment env = bench.environment(config, false, savepoint);
            DetectionTopology.build(env, config, Inputs.of(new FileScanSource(List.of(scans))),
                    new FileOutputs(run.resolve("alerts.jsonl"), run.resolve("dead.jsonl")));
            env.execute("held codes on " + backend.key());
            Set<String> standing = new TreeSet<>();
            FinalAlerts.read(run.resolve("alerts.jsonl")).standing().forEach(a -> standing.add(a.getAlertId() + " " + a.getRule()));
            alerts.put(backend.key(), standing);
        }
        assertThat(alerts.get("heap-timers")).as("sales of sealed, consumed packs").hasSizeGreaterThan(50);
        assertThat(alerts.get("forst")).isEqualTo(alerts.get("heap-timers"));
        assertThat(alerts.get("forst-remote")).isEqualTo(alerts.get("heap-timers"));
        // ForSt removes its files as the job ends, and leaves the directories of each subtask's database
        try (var files = Files.walk(work.resolve("forst-remote").resolve("forst-primary"))) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("op_CodeDetector_")).count())
                    .as("the detector's databases on the primary path, one a subtask").isEqualTo(2);
        }
    }

    /**
     * The latency run on held state starts from the held run's last checkpoint: a checkpoint of the
     * detector run alone restores into the live topology, whose reference input runs where the
     * detector-alone stand-in has ended (Flink refused that restore while the two shared uids).
     */
    @Test
    void aCheckpointOfTheDetectorAloneRestoresIntoTheLiveTopology() throws Exception {
        String savepoint = heldCodes();
        Path scans = salesOfHeld(10);
        Path checkpoints = work.resolve("alone-checkpoints");
        TracewatchConfig alone = bench.config("job.checkpoint_interval_ms=200", "job.checkpoint_dir=" + checkpoints.toUri());
        StreamExecutionEnvironment env = bench.environment(alone, true, savepoint);
        DetectionTopology.detect(env, alone, DetectionTopology.decode(env, alone, FileScanSource.heldOpen(List.of(scans))), true)
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync("detector alone");
        // checkpoints taken once the stand-in's tasks have ended, as the held run's last one is
        for (int waited = 0; checkpointsTaken(checkpoints) < 5 && waited < 600; waited++) {
            Thread.sleep(100);
        }
        job.cancel().get();
        // a newer checkpoint may have replaced the one seen before the job ended
        String checkpoint = Benchmarks.latestCheckpoint(checkpoints).toUri().toString();

        TracewatchConfig live = bench.config("job.checkpoint_interval_ms=200");
        StreamExecutionEnvironment restored = bench.environment(live, true, checkpoint);
        JobRest rest = JobRest.of(restored);
        DetectionTopology.build(restored, live, Inputs.of(FileScanSource.heldOpen(List.of(scans))),
                new FileOutputs(work.resolve("alerts.jsonl"), work.resolve("dead.jsonl")));
        JobClient liveJob = restored.executeAsync("live topology from the detector's checkpoint");
        try {
            rest.awaitRunning(liveJob.getJobID(), Duration.ofSeconds(60));
        } finally {
            liveJob.cancel().get();
        }
    }

    /** A file of sales of every {@code step}-th held code, held code n sold n seconds into the live traffic. */
    private Path salesOfHeld(int step) throws java.io.IOException {
        SplittableRandom random = new SplittableRandom(step);
        List<String> sales = new ArrayList<>();
        for (int held = 0; held < 300; held += step) {
            sales.add(ScanEventJson.encode(YearsBenchmark.saleOfHeld(held, YearsBenchmark.LIVE_START.plusSeconds(held), random)));
        }
        return Files.write(work.resolve("sales.jsonl"), sales);
    }

    private static long checkpointsTaken(Path checkpoints) {
        try {
            String latest = Benchmarks.latestCheckpoint(checkpoints).getFileName().toString();
            return Long.parseLong(latest.substring("chk-".length()));
        } catch (java.util.NoSuchElementException | java.io.IOException notYet) {
            return 0;
        }
    }
}
