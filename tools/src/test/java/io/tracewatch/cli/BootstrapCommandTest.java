package io.tracewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.generate.GeneratedFiles;
import io.tracewatch.generate.Recalls;
import io.tracewatch.generate.Register;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.Lead;
import io.tracewatch.savepoint.LiveJobSavepoint;
import io.tracewatch.testing.PipelineRun;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap command as a user runs it: what it writes beside its savepoint, and what it refuses. */
class BootstrapCommandTest {
    @TempDir
    static Path dir;

    private static Path scans;
    private static Path parties;
    private static Path recalls;

    @BeforeAll
    static void generate() throws Exception {
        ScanGenerator.Settings settings = ScanGenerator.Settings.defaults(47, 800).withAnomalyRate(0.3).withLateRate(0.05).withRecalls();
        scans = dir.resolve("history.jsonl");
        GeneratedFiles.write(settings, scans, dir.resolve("labels.jsonl"));
        parties = Files.write(dir.resolve("parties.jsonl"), Register.of(settings.seed(), settings.start()));
        recalls = Files.write(dir.resolve("recalls.jsonl"), Recalls.of(settings.seed(), settings.start()));
    }

    @Test
    void itWritesWhatAStreamingReplayWritesAndASavepointOfTheLiveJobsState() throws Exception {
        Path replayed = Files.createDirectories(dir.resolve("replayed"));
        MainAccess.Result replay = MainAccess.capture("replay", "--mode", "streaming", "--input", scans.toString(), "--parties", parties.toString(),
                "--recalls", recalls.toString(), "--output", replayed.resolve("alerts.jsonl").toString(), "--cases",
                replayed.resolve("cases.jsonl").toString(), "--leads", replayed.resolve("leads.jsonl").toString(), "--quiet");
        assertThat(replay.exit()).as(replay.err()).isZero();

        Path booted = Files.createDirectories(dir.resolve("booted"));
        Path savepoint = booted.resolve("savepoint");
        MainAccess.Result bootstrap = MainAccess.capture("bootstrap", "--input", scans.toString(), "--parties", parties.toString(),
                "--recalls", recalls.toString(), "--savepoint", savepoint.toString(), "--alerts", booted.resolve("alerts.jsonl").toString(),
                "--cases", booted.resolve("cases.jsonl").toString(), "--leads", booted.resolve("leads.jsonl").toString(),
                "--set", "detection.max_judge_delay_ms=1000");
        assertThat(bootstrap.exit()).as(bootstrap.err()).isZero();
        assertThat(bootstrap.out()).contains("savepoint: " + savepoint, "run --from-savepoint " + savepoint);

        assertThat(alertIds(booted)).hasSizeGreaterThan(100).isEqualTo(alertIds(replayed));
        assertThat(PipelineRun.caseMembership(records(booted.resolve("cases.jsonl"), CaseRecord.class)))
                .isNotEmpty().isEqualTo(PipelineRun.caseMembership(records(replayed.resolve("cases.jsonl"), CaseRecord.class)));
        assertThat(PipelineRun.finalLeads(records(booted.resolve("leads.jsonl"), Lead.class)).keySet())
                .isNotEmpty().isEqualTo(PipelineRun.finalLeads(records(replayed.resolve("leads.jsonl"), Lead.class)).keySet());
        assertThat(deadLetters(booted.resolve("alerts.dead-letter.jsonl"))).isNotEmpty()
                .isEqualTo(deadLetters(replayed.resolve("alerts.dead-letter.jsonl")));
        assertThat(operatorsIn(savepoint)).containsExactlyInAnyOrderElementsOf(
                LiveJobSavepoint.CONTINUED_UIDS.stream().map(LiveJobSavepoint::operatorId).toList());
        try (var files = Files.list(booted)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .containsExactlyInAnyOrder("savepoint", "alerts.jsonl", "alerts.dead-letter.jsonl", "cases.jsonl", "leads.jsonl");
        }
    }

    @Test
    void aSavepointIsNeverOverwrittenAndTheCommandLineIsChecked() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("existing"));
        MainAccess.Result overwrite = MainAccess.capture("bootstrap", "--input", scans.toString(), "--savepoint", existing.toString());
        assertThat(overwrite.exit()).isEqualTo(2);
        assertThat(overwrite.err()).contains("--savepoint: " + existing + " already exists");

        MainAccess.Result noInput = MainAccess.capture("bootstrap", "--savepoint", dir.resolve("none").toString());
        assertThat(noInput.exit()).isEqualTo(2);
        assertThat(noInput.err()).contains("--input is required");
        MainAccess.Result noSavepoint = MainAccess.capture("bootstrap", "--input", scans.toString());
        assertThat(noSavepoint.exit()).isEqualTo(2);
        assertThat(noSavepoint.err()).contains("--savepoint");
        assertThat(dir.resolve("none")).doesNotExist();

        MainAccess.Result notASavepoint = MainAccess.capture("run", "--from-savepoint", existing.toString());
        assertThat(notASavepoint.exit()).isEqualTo(2);
        assertThat(notASavepoint.err()).contains("is not a savepoint (it has no _metadata)");
    }

    @Test
    void aBootstrapStoppedWithSigtermLeavesNothingBehind() throws Exception {
        Path big = dir.resolve("big.jsonl");
        List<String> lines = Files.readAllLines(scans);
        try (var out = Files.newBufferedWriter(big)) {
            for (int copy = 0; copy < 20; copy++) {
                for (String line : lines) {
                    out.write(line);
                    out.newLine();
                }
            }
        }
        Path work = Files.createDirectories(dir.resolve("killed"));
        Process bootstrap = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "bootstrap", "--input", big.toString(), "--savepoint", work.resolve("savepoint").toString(),
                "--alerts", work.resolve("alerts.jsonl").toString(), "--parallelism", "1", "--quiet")
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && bootstrap.isAlive() && ReplayCommandTest.staging(work).isEmpty()) {
            Thread.sleep(20);
        }
        assertThat(ReplayCommandTest.staging(work)).as("the bootstrap writes under temporary names while it runs").isNotEmpty();
        bootstrap.destroy(); // SIGTERM
        assertThat(bootstrap.waitFor(60, TimeUnit.SECONDS)).isTrue();

        try (var files = Files.list(work)) {
            assertThat(files.toList()).as("what a stopped bootstrap left").isEmpty();
        }
    }

    private static Set<String> alertIds(Path directory) throws IOException {
        Set<String> ids = new TreeSet<>();
        FinalAlerts.read(directory.resolve("alerts.jsonl")).standing().stream().map(Alert::getAlertId).forEach(ids::add);
        return ids;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> records(Path file, Class<T> type) throws IOException {
        List<T> records = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            records.add(RecordJson.decode(line, type));
        }
        return records;
    }

    private static Set<String> deadLetters(Path file) throws IOException {
        Set<String> letters = new TreeSet<>();
        Files.readAllLines(file).forEach(line -> letters.add(line.replaceAll("\"detected_at\":\"[^\"]*\",?", "")));
        return letters;
    }

    private static List<OperatorID> operatorsIn(Path savepoint) throws IOException {
        try (InputStream in = Files.newInputStream(savepoint.resolve("_metadata"))) {
            return Checkpoints.loadCheckpointMetadata(new DataInputStream(in), BootstrapCommandTest.class.getClassLoader(), savepoint.toString())
                    .getOperatorStates().stream().map(OperatorState::getOperatorID).toList();
        }
    }
}
