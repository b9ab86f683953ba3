package io.tracewatch.detect;

import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.io.file.ScanFileFormat;
import io.tracewatch.io.ports.Outputs;
import io.tracewatch.job.DetectionTopology;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.CloseableIterator;

/**
 * Makes a savepoint fixture of the detector's state: the input below through the real topology on
 * an embedded Flink with RocksDB, then stop-with-savepoint ({@code SavepointFixtures} reads what it
 * writes beside the savepoint). Run it once for every change of the state format, before the
 * change, and commit the result under the jobs module's {@code src/test/resources/savepoints/};
 * {@code CodeStateSavepointTest} restores every fixture there with today's serializer and checks it
 * code by code, {@code DetectorUpgradeTest} restores whole jobs.
 *
 * <p>Run from the project root after {@code mvn -pl tools test-compile} and
 * {@code mvn -pl tools dependency:build-classpath -Dmdep.outputFile=cp.txt}:
 * {@code java -cp "$(cat tools/cp.txt):tools/target/classes:tools/target/test-classes" io.tracewatch.detect.SavepointFixture DIR
 * jobs/src/test/resources/contract-examples [KEY=VALUE...]}.
 */
public final class SavepointFixture {
    private SavepointFixture() {}

    /** The fixture's input: the contract examples, then generated traffic with late uploads and every anomaly. */
    static List<String> input(Path contractExamples) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(contractExamples)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".scans.jsonl")).sorted().toList()) {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        }
        new ScanGenerator(ScanGenerator.Settings.defaults(7, 200).withAnomalyRate(0.3).withLateRate(0.05), label -> {})
                .forEachRemaining(scan -> lines.add(scan.json()));
        return lines;
    }

    /**
     * Arguments: the fixture's directory, the contract examples' directory, then settings
     * ({@code key=value}) over the fixture's defaults: with a long ordering delay and wait, scans are
     * still in the arrival buffer when the savepoint is taken. The alerts written before it go to
     * {@code alerts.jsonl.gz} beside the savepoint.
     */
    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args[0]).toAbsolutePath();
        Path examples = Paths.get(args.length > 1 ? args[1] : "jobs/src/test/resources/contract-examples");
        List<String> settings = new ArrayList<>(List.of("detection.ordering_delay_ms=0", "detection.max_judge_delay_ms=200"));
        settings.addAll(List.of(args).subList(Math.min(2, args.length), args.length));
        Files.createDirectories(out);
        Path inputDir = Files.createTempDirectory("fixture-input");
        List<String> lines = input(examples);
        // two files, a split for each source subtask, so that neither holds the watermark back
        int half = lines.size() / 2;
        Files.write(inputDir.resolve("scans-1.jsonl"), lines.subList(0, half), StandardCharsets.UTF_8);
        Files.write(inputDir.resolve("scans-2.jsonl"), lines.subList(half, lines.size()), StandardCharsets.UTF_8);
        Files.write(out.resolve("scans.jsonl"), lines, StandardCharsets.UTF_8);

        TracewatchConfig config = TracewatchConfig.load(null, settings);
        Configuration flink = new Configuration();
        flink.setString("state.backend.type", "rocksdb");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        org.apache.flink.core.fs.Path watched = new org.apache.flink.core.fs.Path(inputDir.toUri());
        List<CloseableIterator<Alert>> collected = new ArrayList<>();
        DetectionTopology.build(env, config,
                (e, watermarks, decoder) -> e.fromSource(FileSource.forBulkFileFormat(new ScanFileFormat(decoder), watched)
                                .monitorContinuously(Duration.ofHours(1))
                                .build(), watermarks, "fixture input")
                        .uid("scan-files"),
                new Outputs() {
                    @Override
                    public void alerts(DataStream<Alert> alerts) {
                        collected.add(alerts.collectAsync());
                    }

                    @Override
                    public void deadLetters(DataStream<DeadLetter> deadLetters) {
                        deadLetters.sinkTo(new DiscardingSink<>()).uid("dead-letters-discard");
                    }
                });
        JobClient job = env.executeAsync("savepoint fixture");
        List<String> alerts = new ArrayList<>();
        Thread reader = new Thread(() -> collected.get(0).forEachRemaining(alert -> alerts.add(AlertJson.encode(alert))));
        reader.start();
        // every line read, and judged as far as the settings let it: the defaults' delay is 0 and wait 200 ms
        Thread.sleep(15_000);
        String savepoint = job.stopWithSavepoint(false, out.resolve("savepoint").toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
        reader.join();
        try (var gzip = new java.io.OutputStreamWriter(new java.util.zip.GZIPOutputStream(
                Files.newOutputStream(out.resolve("alerts.jsonl.gz"))), StandardCharsets.UTF_8)) {
            for (String alert : alerts) {
                gzip.write(alert + "\n");
            }
        }
        // what this release reads back, for a later release to read the same from the same bytes
        SavepointFixtures.writeStates(SavepointFixtures.states(Paths.get(java.net.URI.create(savepoint))), out.resolve("states.tsv.gz"));
        System.out.println("savepoint written to " + savepoint + " with " + alerts.size() + " alerts before it");
        System.exit(0);
    }
}
