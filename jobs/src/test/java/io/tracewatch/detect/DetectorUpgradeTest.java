package io.tracewatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.io.file.ScanFileFormat;
import io.tracewatch.io.ports.Outputs;
import io.tracewatch.io.ports.ScanSource;
import io.tracewatch.job.DetectionTopology;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import io.tracewatch.testing.Decoding;
import io.tracewatch.testing.FlinkCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Savepoints of the whole job written by earlier releases restore into today's job, which then
 * judges more uploads of the same codes: the alerts standing afterwards are those of a walk over
 * every event, code by code.
 * <ul>
 *   <li>{@code savepoints/code-state-v3}: the release before the detector judged in mini-batches
 *       (ca0796e), with per-code timers in the KeyedBroadcastProcessFunction's operator; every scan
 *       was judged before the savepoint.
 *   <li>{@code savepoints-with-buffer/arrival-buffer-v1}: the release that judged in mini-batches
 *       (8f82554), with a 10-day ordering delay and a buffer of 300 scans, so that at the savepoint
 *       every scan still waited, in the arrival buffer or, past its capacity, in its code's state;
 *       the alerts written before it are beside it ({@code alerts.jsonl.gz}).
 *   <li>{@code savepoints/code-state-v4}: the release before sealed histories (a1ae80b), state
 *       format 4, with the alerts written before it beside it.
 * </ul>
 */
class DetectorUpgradeTest {
    @RegisterExtension
    static final FlinkCluster FLINK = new FlinkCluster(2);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"savepoints/code-state-v3", "savepoints-with-buffer/arrival-buffer-v1", "savepoints/code-state-v4"})
    void aSavepointOfAnEarlierReleaseRestoresAndItsCodesAreJudgedOnWithNewUploads(String fixtureName) throws Exception {
        Path fixture = Paths.get(DetectorUpgradeTest.class.getResource("/" + fixtureName).toURI());
        Map<String, List<ScanEvent>> before = SavepointFixtures.histories(fixture.resolve("scans.jsonl.gz"));
        List<String> newUploads = newUploads(before);
        Path scans = Files.write(dir.resolve("new-uploads.jsonl"), newUploads, StandardCharsets.UTF_8);

        Path alertsBefore = fixture.resolve("alerts.jsonl.gz");
        Map<String, Set<String>> standing = new TreeMap<>();
        if (Files.exists(alertsBefore)) {
            fold(SavepointFixtures.alerts(alertsBefore), standing);
        } else {
            standing.putAll(walk(before));
        }
        fold(restoreAndRun(fixture, scans), standing);
        standing.values().removeIf(Set::isEmpty);

        Map<String, List<ScanEvent>> after = new TreeMap<>(before);
        for (String line : newUploads) {
            ScanEvent event = Decoding.json(line, 0).getEvent();
            List<ScanEvent> history = new ArrayList<>(after.get(event.getCode()));
            if (history.stream().noneMatch(e -> e.getEventId().equals(event.getEventId()))) {
                history.add(event);
            }
            after.put(event.getCode(), history);
        }
        Map<String, Set<String>> expected = walk(after);
        assertThat(expected).as("the new uploads change what stands").isNotEqualTo(walk(before));
        assertThat(standing).isEqualTo(expected);
    }

    /** Alert records applied in order to what stands, each raised while not standing and retracted while standing. */
    private static void fold(List<Alert> alerts, Map<String, Set<String>> standing) {
        for (Alert alert : alerts) {
            Set<String> keys = standing.computeIfAbsent(alert.getCode(), code -> new TreeSet<>());
            String key = alert.getRule() + "|" + alert.getTriggerEventId();
            if (alert.getStatus() == AlertStatus.RAISED) {
                // an alert standing from before format 4 is sent again once, as what it says was not kept
                keys.add(key);
            } else {
                assertThat(keys.remove(key)).as("retracted while standing: %s %s", alert.getCode(), key).isTrue();
            }
        }
    }

    /** Today's topology, restored from the fixture, over the new uploads; the alert records it writes. */
    private List<Alert> restoreAndRun(Path fixture, Path scans) throws Exception {
        TracewatchConfig config = TracewatchConfig.load(null, List.of("detection.ordering_delay_ms=0", "detection.max_judge_delay_ms=200"));
        Configuration flink = new Configuration();
        flink.setString("state.backend.type", "rocksdb");
        flink.set(StateRecoveryOptions.SAVEPOINT_PATH, fixture.toUri().toString());
        // the fixture's file source watched a directory; today's reads a file
        flink.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        List<CloseableIterator<Alert>> collected = new ArrayList<>();
        // a source of its own: under the fixture's source id it would restore that source's finished reading
        org.apache.flink.core.fs.Path file = new org.apache.flink.core.fs.Path(scans.toUri());
        ScanSource newUploads = (e, watermarks, decoder) -> e.fromSource(
                FileSource.forBulkFileFormat(new ScanFileFormat(decoder), file).build(), watermarks, "new uploads").uid("new-uploads");
        DetectionTopology.build(env, config, newUploads, new Outputs() {
            @Override
            public void alerts(DataStream<Alert> alerts) {
                collected.add(alerts.collectAsync());
            }

            @Override
            public void deadLetters(DataStream<DeadLetter> deadLetters) {
                deadLetters.sinkTo(new DiscardingSink<>());
            }
        });
        env.execute("restored from " + fixture.getFileName());
        List<Alert> alerts = new ArrayList<>();
        try (CloseableIterator<Alert> records = collected.get(0)) {
            records.forEachRemaining(alerts::add);
        }
        return alerts;
    }

    /** For every other code: a sale an hour after its last event, at a pharmacy 2,400 km away. */
    private static List<String> newUploads(Map<String, List<ScanEvent>> histories) {
        List<String> lines = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<ScanEvent>> code : histories.entrySet()) {
            if (index++ % 2 != 0) {
                continue;
            }
            List<ScanEvent> history = code.getValue();
            ScanEvent last = history.get(history.size() - 1);
            lines.add("{\"event_id\":\"upgrade-" + index + "\",\"code\":\"" + code.getKey() + "\",\"event_type\":\"SELL\","
                    + "\"event_time\":\"" + last.getEventTime().plus(Duration.ofHours(1)) + "\",\"party_id\":\"PH-650101-0009\","
                    + "\"party_type\":\"PHARMACY\",\"region\":\"650101\",\"lat\":43.8,\"lon\":87.6}");
        }
        return lines;
    }

    /** The findings of a walk over each code's events, by code; codes without any left out. */
    private static Map<String, Set<String>> walk(Map<String, List<ScanEvent>> histories) {
        HistoryWalk walk = HistoryWalk.standard();
        Map<String, Set<String>> findings = new TreeMap<>();
        histories.forEach((code, events) -> {
            List<ScanEvent> history = new ArrayList<>(events);
            history.sort(Events.EVENT_TIME_ORDER);
            Set<String> keys = new TreeSet<>();
            for (Finding finding : walk.findings(history, Reference.none(TracewatchConfig.defaults().detection().ruleSettings()))) {
                keys.add(finding.key());
            }
            if (!keys.isEmpty()) {
                findings.put(code, keys);
            }
        });
        return findings;
    }
}
