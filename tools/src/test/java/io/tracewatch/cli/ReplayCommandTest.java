package io.tracewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.generate.GeneratedFiles;
import io.tracewatch.generate.Recalls;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.model.Alert;
import io.tracewatch.rules.RuleId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay command end to end, as a user runs it: generated traffic with anomalies of every rule
 * and the look-alikes that must not alert, late and repeated uploads and malformed lines.
 */
class ReplayCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Path scans;
    private static Set<String> labels;

    @BeforeAll
    static void generate() throws Exception {
        scans = dir.resolve("scans.jsonl");
        Path labelsFile = dir.resolve("labels.jsonl");
        GeneratedFiles.Written written = GeneratedFiles.write(
                ScanGenerator.Settings.defaults(42, 1500).withAnomalyRate(0.3).withLateRate(0.05), scans, labelsFile);
        assertThat(written.malformed()).isPositive();
        labels = new TreeSet<>();
        for (String line : Files.readAllLines(labelsFile)) {
            JsonNode label = JSON.readTree(line);
            labels.add(label.get("code").asText() + " " + label.get("rule").asText() + " " + label.get("trigger_event_id").asText());
        }
    }

    private static MainAccess.Result run(String... args) {
        return MainAccess.capture(args);
    }

    @Test
    void findsEveryInjectedAnomalyWithItsRuleAndCauseAndNothingOnTheLookAlikes() throws Exception {
        // the generator's world with its recall list: recalled batches, lifted recalls, recalls that start later
        ScanGenerator.Settings settings = ScanGenerator.Settings.defaults(43, 1500).withAnomalyRate(0.3).withLateRate(0.05).withRecalls();
        Path recalled = dir.resolve("recalled-scans.jsonl");
        Path recalledLabels = dir.resolve("recalled-labels.jsonl");
        GeneratedFiles.write(settings, recalled, recalledLabels);
        Path recalls = Files.write(dir.resolve("recalls.jsonl"), Recalls.of(settings.seed(), settings.start()));
        Map<String, String> expected = new TreeMap<>();
        for (String line : Files.readAllLines(recalledLabels)) {
            JsonNode label = JSON.readTree(line);
            expected.put(label.get("code").asText() + " " + label.get("rule").asText() + " " + label.get("trigger_event_id").asText(),
                    label.path("cause").asText(""));
        }

        Path alerts = dir.resolve("recalled-alerts.jsonl");
        MainAccess.Result result = run("replay", "--input", recalled.toString(), "--recalls", recalls.toString(), "--output", alerts.toString());
        assertThat(result.exit()).as(result.err()).isZero();
        FinalAlerts found = FinalAlerts.read(alerts);
        Map<String, String> standing = new TreeMap<>();
        found.standing().forEach(a -> standing.put(a.getCode() + " " + a.getRule() + " " + a.getTriggerEventId(),
                a.getCause() == null ? "" : a.getCause()));
        assertThat(standing).isEqualTo(expected);
        assertThat(found.countByRule().keySet()).containsExactlyInAnyOrder(
                RuleId.DUPLICATE_SALE.name(), RuleId.IMPOSSIBLE_ROUTE.name(), RuleId.POST_DISPENSE_RESALE.name(),
                RuleId.DESTROYED_PACK.name(), RuleId.EXPIRED_PACK.name(), RuleId.RECALLED_PACK.name());
        assertThat(result.out()).contains("records read").contains("RECALLED_PACK");
    }

    @Test
    void everyRecordIsAccountedForAndDeadLettersSayWhy() throws Exception {
        Path alerts = dir.resolve("alerts.jsonl");
        MainAccess.Result result = run("replay", "--input", scans.toString(), "--output", alerts.toString());
        assertThat(result.exit()).as(result.err()).isZero();
        Set<String> standing = FinalAlerts.read(alerts).standing().stream().map(a -> a.getCode() + " " + a.getRule() + " " + a.getTriggerEventId())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(standing).isEqualTo(labels);

        Path deadLetters = dir.resolve("alerts.dead-letter.jsonl");
        assertThat(Files.readAllLines(deadLetters)).isNotEmpty().allSatisfy(line -> {
            JsonNode letter = JSON.readTree(line);
            assertThat(letter.get("reason").asText()).isNotBlank();
            assertThat(letter.get("source").asText()).endsWith("scans.jsonl");
            assertThat(letter.get("position").asLong()).isPositive();
        });
    }

    @Test
    void theSameLinesShuffledGiveTheSameFinalAlertsInBatchAndStreaming() throws Exception {
        Path original = dir.resolve("original.jsonl");
        assertThat(run("replay", "--input", scans.toString(), "--output", original.toString()).exit()).isZero();

        List<String> lines = new ArrayList<>(Files.readAllLines(scans));
        Collections.shuffle(lines, new Random(7));
        Path shuffled = dir.resolve("shuffled.jsonl");
        Files.write(shuffled, lines);
        Path batch = dir.resolve("shuffled-batch.jsonl");
        Path streaming = dir.resolve("shuffled-streaming.jsonl");
        assertThat(run("replay", "--input", shuffled.toString(), "--output", batch.toString(), "--quiet").exit()).isZero();
        assertThat(run("replay", "--input", shuffled.toString(), "--output", streaming.toString(),
                "--mode", "streaming", "--parallelism", "2", "--quiet").exit()).isZero();

        Set<String> expected = finalIds(original);
        assertThat(expected).hasSize(labels.size());
        assertThat(finalIds(batch)).isEqualTo(expected);
        assertThat(finalIds(streaming)).isEqualTo(expected);
    }

    private static Set<String> finalIds(Path alerts) throws Exception {
        return FinalAlerts.read(alerts).standing().stream().map(Alert::getAlertId).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void badCommandLinesGetOneLineErrorsAndUsage() {
        MainAccess.Result missing = run("replay", "--input", dir.resolve("nope.jsonl").toString(), "--output", "x.jsonl");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("tracewatch replay: input not found").contains("see: tracewatch replay --help").doesNotContain("usage:").doesNotContain("Exception");

        MainAccess.Result noOutput = run("replay", "--input", scans.toString());
        assertThat(noOutput.exit()).isEqualTo(2);
        assertThat(noOutput.err()).contains("--output is required");

        MainAccess.Result badSetting = run("replay", "--input", scans.toString(), "--output", "x.jsonl", "--set", "detection.max_speed_kmh=fast");
        assertThat(badSetting.exit()).isEqualTo(2);
        assertThat(badSetting.err()).contains("configuration").contains("max_speed_kmh");

        MainAccess.Result unknown = run("frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'frobnicate'").contains("replay");

        MainAccess.Result help = run("replay", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--input").contains("--mode");
    }

    @Test
    void gzipAndAvroInputsAndAnAvroOutputGiveTheSameAlerts() throws Exception {
        Path gz = dir.resolve("scans.jsonl.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(scans, out);
        }
        Path fromGz = dir.resolve("from-gz.avro");
        assertThat(run("replay", "--input", gz.toString(), "--output", fromGz.toString(), "--quiet").exit()).isZero();
        assertThat(Files.exists(dir.resolve("from-gz.dead-letter.avro"))).isTrue();

        Path avroScans = dir.resolve("scans.avro");
        try (var writer = new org.apache.avro.file.DataFileWriter<>(
                new org.apache.avro.specific.SpecificDatumWriter<>(io.tracewatch.model.ScanEvent.class))) {
            writer.create(io.tracewatch.model.ScanEvent.getClassSchema(), avroScans.toFile());
            for (String line : Files.readAllLines(scans)) {
                var decoded = io.tracewatch.io.codec.ScanEventJson.decode(line);
                if (decoded.event() != null) {
                    writer.append(decoded.event());
                }
            }
        }
        Path fromAvro = dir.resolve("from-avro.jsonl");
        assertThat(run("replay", "--input", avroScans.toString(), "--output", fromAvro.toString(), "--quiet").exit()).isZero();

        Set<String> expected = finalIds(dir.resolve("reference.jsonl"), scans);
        assertThat(finalIds(fromGz)).isEqualTo(expected);
        assertThat(finalIds(fromAvro)).isEqualTo(expected);
    }

    private static Set<String> finalIds(Path alerts, Path input) throws Exception {
        assertThat(run("replay", "--input", input.toString(), "--output", alerts.toString(), "--quiet").exit()).isZero();
        return finalIds(alerts);
    }

    @Test
    void diffShowsWhatAThresholdChangeAddsAndRemovesPerRule() throws Exception {
        Path before = dir.resolve("before.jsonl");
        assertThat(run("replay", "--input", scans.toString(), "--output", before.toString(), "--quiet").exit()).isZero();
        MainAccess.Result after = run("replay", "--input", scans.toString(), "--output", dir.resolve("after.jsonl").toString(),
                "--set", "detection.max_speed_kmh=5000", "--diff", before.toString());

        assertThat(after.exit()).as(after.err()).isZero();
        assertThat(after.out()).contains("diff against the old alerts: IMPOSSIBLE_ROUTE +0 -")
                .containsPattern("(?m)^- IMPOSSIBLE_ROUTE \\d+ ev-\\d+-\\d+ PH-")
                .doesNotContainPattern("(?m)^\\+ ");
    }

    @Test
    void aByteOrderMarkAndWindowsLineEndsAreNotPartOfTheRecords() throws Exception {
        Path windows = dir.resolve("windows.jsonl");
        List<String> lines = Files.readAllLines(scans).subList(0, 200);
        Files.writeString(windows, "\uFEFF" + String.join("\r\n", lines) + "\r\n");
        Path clean = dir.resolve("clean.jsonl");
        Files.write(clean, lines);
        Path fromWindows = dir.resolve("from-windows.jsonl");
        Path fromClean = dir.resolve("from-clean.jsonl");
        assertThat(run("replay", "--input", windows.toString(), "--output", fromWindows.toString(), "--quiet").exit()).isZero();
        assertThat(run("replay", "--input", clean.toString(), "--output", fromClean.toString(), "--quiet").exit()).isZero();
        assertThat(Files.readAllLines(dir.resolve("from-windows.dead-letter.jsonl")))
                .hasSameSizeAs(Files.readAllLines(dir.resolve("from-clean.dead-letter.jsonl")));
        assertThat(finalIds(fromWindows)).isEqualTo(finalIds(fromClean));
    }

    @Test
    void aFileThatIsNotScanEventsIsRefusedWithOneLine() throws Exception {
        Path text = dir.resolve("notes.jsonl");
        Files.writeString(text, "these are not scans\nnor is this\n");
        MainAccess.Result result = run("replay", "--input", text.toString(), "--output", dir.resolve("n.jsonl").toString());
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).startsWith("tracewatch replay: " + text + " is neither JSON Lines");
    }

    @Test
    void aTruncatedGzipInputFailsWithOneLineNamingTheFile() throws Exception {
        Path gzip = dir.resolve("cut.jsonl.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write(Files.readAllBytes(scans));
        }
        byte[] whole = Files.readAllBytes(gzip);
        Files.write(gzip, java.util.Arrays.copyOf(whole, whole.length / 2));
        Path alerts = dir.resolve("cut-alerts.jsonl");
        MainAccess.Result result = run("replay", "--input", gzip.toString(), "--output", alerts.toString(), "--quiet");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err().strip().lines()).singleElement().asString().startsWith("tracewatch replay: ")
                .contains("cannot read " + gzip, "truncated gzip").doesNotContain("Recovery is suppressed");
        assertThat(alerts).doesNotExist();
    }

    @Test
    void anEmptyInputIsReportedNotReplayed() throws Exception {
        Path emptyFile = dir.resolve("empty.jsonl");
        Files.writeString(emptyFile, "");
        MainAccess.Result emptyResult = run("replay", "--input", emptyFile.toString(), "--output", dir.resolve("e1.jsonl").toString());
        assertThat(emptyResult.exit()).isEqualTo(2);
        assertThat(emptyResult.err()).contains("the input is empty");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        MainAccess.Result result = run("replay", "--input", empty.toString(), "--output", dir.resolve("e.jsonl").toString());
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("no input files");
    }

    @Test
    void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws Exception {
        Path input = dir.resolve("precious.jsonl");
        Files.write(input, Files.readAllLines(scans).subList(0, 50));
        byte[] before = Files.readAllBytes(input);
        Path link = Files.createSymbolicLink(dir.resolve("link-to-precious.jsonl"), input);
        Path folder = Files.createDirectories(dir.resolve("folder"));
        Path inFolder = Files.write(folder.resolve("day1.jsonl"), before);

        List<MainAccess.Result> refused = List.of(
                run("replay", "--input", input.toString(), "--output", input.toString()),
                run("replay", "--input", input.toString(), "--output", link.toString()),
                run("replay", "--input", dir.resolve("prec*.jsonl").toString(), "--output", dir.resolve("x.jsonl").toString(),
                        "--dead-letter", input.toString()),
                run("replay", "--input", folder.toString(), "--output", inFolder.toString()),
                run("replay", "--input", input.toString(), "--output", dir.resolve("y.jsonl").toString(), "--cases", dir.resolve("y.jsonl").toString()));
        for (MainAccess.Result result : refused) {
            assertThat(result.exit()).as(result.err()).isEqualTo(2);
            assertThat(result.err()).containsPattern("is one of the inputs|is already the --output file").doesNotContain("Exception");
        }
        assertThat(Files.readAllBytes(input)).isEqualTo(before);
        assertThat(Files.readAllBytes(inFolder)).isEqualTo(before);
        assertThat(dir.resolve("x.jsonl")).doesNotExist();
    }

    @Test
    void aReplayStoppedWithSigtermLeavesNoFileUnderItsFinalName() throws Exception {
        Path big = dir.resolve("big.jsonl");
        List<String> lines = Files.readAllLines(scans);
        try (var out = Files.newBufferedWriter(big)) {
            for (int copy = 0; copy < 40; copy++) {
                for (String line : lines) {
                    out.write(line);
                    out.newLine();
                }
            }
        }
        Path work = Files.createDirectories(dir.resolve("killed"));
        Path output = work.resolve("alerts.jsonl");
        Process replay = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "replay", "--input", big.toString(), "--output", output.toString(), "--mode", "streaming", "--parallelism", "1", "--quiet")
                .redirectErrorStream(true).redirectOutput(work.resolveSibling("killed.log").toFile()).start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && replay.isAlive() && staging(work).isEmpty()) {
            Thread.sleep(20);
        }
        assertThat(staging(work)).as("the replay writes under a temporary name while it runs (alive: %s); its output:%n%s", replay.isAlive(),
                Files.readString(work.resolveSibling("killed.log"))).isNotEmpty();
        replay.destroy(); // SIGTERM
        assertThat(replay.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(output).doesNotExist();
        assertThat(work.resolve("alerts.dead-letter.jsonl")).doesNotExist();
        assertThat(staging(work)).as("temporary files removed on SIGTERM").isEmpty();
    }

    /** The files a command writes under temporary names in {@code directory} while it runs. */
    static List<Path> staging(Path directory) throws java.io.IOException {
        try (var files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith(".tracewatch-")).toList();
        }
    }

    @Test
    void filesThatAreNotScansAreRefusedWithOneLine() throws Exception {
        Path alerts = dir.resolve("for-input.jsonl");
        assertThat(run("replay", "--input", scans.toString(), "--output", alerts.toString(), "--quiet").exit()).isZero();
        MainAccess.Result alertsAsInput = run("replay", "--input", alerts.toString(), "--output", dir.resolve("z.jsonl").toString(), "--quiet");
        assertThat(alertsAsInput.exit()).isEqualTo(2);
        assertThat(alertsAsInput.err()).startsWith("tracewatch replay: not a scan file: none of the").contains(alerts.toString());

        Path avroAlerts = dir.resolve("for-input.avro");
        assertThat(run("replay", "--input", scans.toString(), "--output", avroAlerts.toString(), "--quiet").exit()).isZero();
        MainAccess.Result avroAsInput = run("replay", "--input", avroAlerts.toString(), "--output", dir.resolve("z2.jsonl").toString());
        assertThat(avroAsInput.exit()).isEqualTo(2);
        assertThat(avroAsInput.err()).startsWith("tracewatch replay: " + avroAlerts + " is an Avro container file of io.tracewatch.model.Alert");

        MainAccess.Result scansAsDiff = run("replay", "--input", scans.toString(), "--output", dir.resolve("z3.jsonl").toString(), "--diff", scans.toString());
        assertThat(scansAsDiff.exit()).isEqualTo(2);
        assertThat(scansAsDiff.err()).startsWith("tracewatch replay: --diff: " + scans + " is not an alerts file");
        assertThat(dir.resolve("z3.jsonl")).as("checked before the replay").doesNotExist();
    }

    @Test
    void eachOutputTakesItsFormatFromItsOwnNameAndDiffMayNameTheFileItReplaces() throws Exception {
        Path alerts = dir.resolve("mixed.jsonl");
        Path deadLetters = dir.resolve("mixed-dead.avro");
        assertThat(run("replay", "--input", scans.toString(), "--output", alerts.toString(), "--dead-letter", deadLetters.toString(), "--quiet")
                .exit()).isZero();
        assertThat(new String(Files.readAllBytes(deadLetters), 0, 3, StandardCharsets.ISO_8859_1)).isEqualTo("Obj");
        assertThat(Files.readAllLines(alerts).get(0)).startsWith("{");

        MainAccess.Result again = run("replay", "--input", scans.toString(), "--output", alerts.toString(), "--diff", alerts.toString(),
                "--set", "detection.max_speed_kmh=5000");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("diff against the old alerts: IMPOSSIBLE_ROUTE +0 -");
    }

    @Test
    void aReplayLeavesNothingBehindInTheTemporaryDirectory() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<String> before = flinkLeftovers(tmp);
        Path small = dir.resolve("small.jsonl");
        Files.write(small, Files.readAllLines(scans).subList(0, 100));
        assertThat(run("replay", "--input", small.toString(), "--output", dir.resolve("small-alerts.jsonl").toString(), "--quiet").exit()).isZero();
        assertThat(flinkLeftovers(tmp)).isSubsetOf(before);
    }

    private static Set<String> flinkLeftovers(Path tmp) throws java.io.IOException {
        try (var files = Files.list(tmp)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("flink-rpc-akka") || n.startsWith("minicluster_") || n.startsWith("tracewatch-replay-"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void choicesNumbersAndPathsAreCheckedBeforeAnythingStarts() throws Exception {
        long started = System.nanoTime();
        MainAccess.Result rule = run("tail", "--rule", "NOPE", "--set", "kafka.bootstrap_servers=localhost:1");
        assertThat(rule.exit()).isEqualTo(2);
        assertThat(rule.err()).startsWith("tracewatch tail: rule must be one of DUPLICATE_SALE, IMPOSSIBLE_ROUTE");
        MainAccess.Result severity = run("tail", "--severity", "urgent", "--set", "kafka.bootstrap_servers=localhost:1");
        assertThat(severity.err()).contains("severity must be one of LOW, MEDIUM, HIGH, CRITICAL");
        for (String port : List.of("abc", "70000", "-1")) {
            MainAccess.Result demo = run("demo", "--feed-port", port);
            assertThat(demo.exit()).as(port).isEqualTo(2);
            assertThat(demo.err()).as(port).contains("--feed-port").doesNotContain("Kafka");
        }
        // before any broker or job started: all of the above within seconds
        assertThat((System.nanoTime() - started) / 1_000_000_000).isLessThan(10);

        Path notADirectory = Files.writeString(dir.resolve("plain-file.txt"), "x");
        MainAccess.Result unwritable = run("replay", "--input", scans.toString(), "--output", notADirectory.resolve("alerts.jsonl").toString());
        assertThat(unwritable.exit()).isEqualTo(2);
        assertThat(unwritable.err()).startsWith("tracewatch replay: --output: cannot write in").doesNotContain("Recovery is suppressed");

        MainAccess.Result tooParallel = run("replay", "--input", scans.toString(), "--output", dir.resolve("wide.jsonl").toString(),
                "--parallelism", "9999");
        assertThat(tooParallel.exit()).isEqualTo(2);
        assertThat(tooParallel.err()).startsWith("tracewatch replay: --parallelism 9999: at most 64").doesNotContain("network buffers");
    }
}
