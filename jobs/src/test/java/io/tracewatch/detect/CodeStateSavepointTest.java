package io.tracewatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import io.tracewatch.testing.FlinkCluster;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every savepoint fixture under {@code src/test/resources/savepoints/}, each made by an earlier
 * release of the detector's state format ({@link SavepointFixture}), restores with today's
 * serializer, code by code: the same distinct events in event-time order and the same raised
 * alerts as the fixture's input gives, and no patient reference; or, for a fixture that recorded
 * how its release read it back (format 5 on, with sealed codes), exactly that state.
 */
class CodeStateSavepointTest {
    @RegisterExtension
    static final FlinkCluster FLINK = new FlinkCluster(2);

    private static final DetectionConfig DEFAULTS = TracewatchConfig.defaults().detection();

    static Stream<String> fixtures() throws Exception {
        try (Stream<Path> dirs = Files.list(savepoints())) {
            return dirs.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    private static Path savepoints() throws URISyntaxException {
        return Paths.get(CodeStateSavepointTest.class.getResource("/savepoints").toURI());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyCodeRestoresWithItsEventsAndAlerts(String fixture) throws Exception {
        Path dir = savepoints().resolve(fixture);
        Path recorded = dir.resolve("states.tsv.gz");
        if (Files.exists(recorded)) {
            // sealed codes hold part of their history: compare with what the fixture's own release read back
            Map<String, String> expected = SavepointFixtures.recordedStates(recorded);
            Map<String, String> restored = SavepointFixtures.states(dir);
            assertThat(restored.keySet()).as("codes").isEqualTo(expected.keySet());
            assertThat(expected.values()).as("the fixture holds sealed codes").anyMatch(state -> state.contains("\"seal\": {"));
            expected.forEach((code, state) -> assertThat(restored.get(code)).as(code).isEqualTo(state));
            return;
        }
        Map<String, String> expected = expectedStates(dir.resolve("scans.jsonl.gz"));
        Map<String, String> restored = SavepointFixtures.states(dir, CodeStateSavepointTest::described);

        assertThat(restored.keySet()).as("codes").isEqualTo(expected.keySet());
        expected.forEach((code, state) -> assertThat(restored.get(code)).as(code).isEqualTo(state));
    }

    /** What each code's state must hold: its distinct events in walk order, and the findings of the walk. */
    private static Map<String, String> expectedStates(Path scans) throws Exception {
        HistoryWalk walk = HistoryWalk.standard();
        Map<String, String> states = new TreeMap<>();
        SavepointFixtures.histories(scans).forEach((code, history) -> {
            List<String> raised = walk.findings(history, Reference.none(DEFAULTS.ruleSettings())).stream().map(Finding::key).sorted().toList();
            // restored state keeps no patient reference (format 3 on)
            states.put(code, describe(history, raised) + " patient_refs=0");
        });
        return states;
    }

    private static String describe(List<ScanEvent> history, List<String> raised) {
        return "events=" + history.stream().map(ScanEvent::getEventId).toList() + " raised=" + raised;
    }

    /** A code's state as read back from the savepoint with today's serializer. */
    private static String described(CodeState value) {
        return describe(value.getHistory(), value.getRaised().stream().map(a -> a.getRule() + "|" + a.getTriggerEventId()).sorted().toList())
                + " patient_refs=" + value.getHistory().stream().filter(e -> e.getPatientRef() != null).count();
    }
}
