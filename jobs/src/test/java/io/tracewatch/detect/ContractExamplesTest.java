package io.tracewatch.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.alert.ChineseExplanations;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.rules.RuleId;
import io.tracewatch.testing.FlinkCluster;
import io.tracewatch.testing.PipelineRun;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract's conformance examples (copied from shared/contract/examples into test resources),
 * each run through the real pipeline on a Flink MiniCluster: in batch mode as written, and in
 * streaming mode with its lines shuffled. Final alerts, dead letters, and the cause of every final
 * DUPLICATE_SALE (lifecycle.md, {@code all-examples.causes.expected.jsonl}).
 */
public class ContractExamplesTest {
    @RegisterExtension
    static final FlinkCluster FLINK = new FlinkCluster(2);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TracewatchConfig DEFAULTS = TracewatchConfig.defaults();
    /** The one scenario whose outcome depends on arrival order, by the contract's design. */
    private static final String ARRIVAL_ORDER_DECIDES = "28-conflicting-duplicate";

    public static Stream<String> scenarios() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(examplesDir())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".scans.jsonl"))
                    .map(n -> n.substring(0, n.length() - ".scans.jsonl".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    private static Path examplesDir() throws URISyntaxException {
        return Paths.get(ContractExamplesTest.class.getResource("/contract-examples").toURI());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenarioGivesExactlyTheExpectedAlertsAndDeadLetters(String scenario, @TempDir Path work) throws Exception {
        Path scans = examplesDir().resolve(scenario + ".scans.jsonl");
        PipelineRun batch = PipelineRun.of(DEFAULTS, RuntimeExecutionMode.BATCH, 2, work, scans);

        assertThat(batch.finalAlerts()).as("final alerts").isEqualTo(expectedAlerts(scenario));
        assertThat(batch.finalCauses()).as("causes of duplicate sales").isEqualTo(expectedCauses(batch.finalCauses().keySet()));
        // contract v1.2: every alert record says it in Chinese too, under the rule's Chinese name
        assertThat(batch.alerts).allSatisfy(alert -> assertThat(alert.getExplanationZh()).as(alert.getAlertId())
                .matches("(?s).*\\p{IsHan}.*")
                .contains(alert.getStatus() == AlertStatus.RAISED ? ChineseExplanations.ruleName(RuleId.valueOf(alert.getRule())) : "撤回")
                .contains(alert.getStatus() == AlertStatus.RAISED ? alert.getPartyId() : ""));
        Map<Long, String> deadLetters = new TreeMap<>();
        for (JsonNode letter : batch.deadLetters) {
            deadLetters.put(letter.get("position").asLong(), letter.get("reason").asText());
        }
        Map<Long, String> expected = expectedDeadLetters(scenario);
        assertThat(deadLetters.keySet()).as("dead-lettered lines").isEqualTo(expected.keySet());
        expected.forEach((line, reason) -> assertThat(deadLetters.get(line))
                .as("reason for line " + line)
                .startsWith(reason.replaceAll(" \\(.*", "")));

        if (!scenario.equals(ARRIVAL_ORDER_DECIDES)) {
            Path shuffled = work.resolve("shuffled.jsonl");
            List<String> lines = new ArrayList<>(Files.readAllLines(scans));
            Collections.shuffle(lines, new Random(scenario.hashCode()));
            Files.write(shuffled, lines);
            Path streamingWork = Files.createDirectories(work.resolve("streaming"));
            PipelineRun streaming = PipelineRun.of(DEFAULTS, RuntimeExecutionMode.STREAMING, 2, streamingWork, shuffled);
            assertThat(streaming.finalAlertIds()).as("shuffled, streaming").isEqualTo(batch.finalAlertIds());
            assertThat(streaming.finalCauses()).as("causes, shuffled, streaming").isEqualTo(batch.finalCauses());
            assertThat(streaming.deadLetters).hasSameSizeAs(batch.deadLetters);
        }
    }

    private static Set<String> expectedAlerts(String scenario) throws Exception {
        Set<String> expected = new TreeSet<>();
        for (String line : Files.readAllLines(examplesDir().resolve(scenario + ".expected.jsonl"))) {
            if (!line.isBlank()) {
                JsonNode alert = JSON.readTree(line);
                expected.add(alert.get("code").asText() + " " + alert.get("rule").asText() + " "
                        + alert.get("trigger_event_id").asText());
            }
        }
        return expected;
    }

    /** The causes file's entries for these duplicate sales ("code trigger"); each must have one. */
    private static Map<String, String> expectedCauses(Set<String> duplicates) throws Exception {
        Map<String, String> all = new TreeMap<>();
        for (String line : Files.readAllLines(examplesDir().resolve("all-examples.causes.expected.jsonl"))) {
            if (!line.isBlank()) {
                JsonNode cause = JSON.readTree(line);
                all.put(cause.get("code").asText() + " " + cause.get("trigger_event_id").asText(), cause.get("cause").asText());
            }
        }
        Map<String, String> expected = new TreeMap<>();
        for (String duplicate : duplicates) {
            expected.put(duplicate, all.get(duplicate));
        }
        return expected;
    }

    @Test
    void theCausesFileNamesADuplicateSaleOfEveryScenarioThatHasOne() throws Exception {
        Set<String> duplicates = new TreeSet<>();
        for (String scenario : scenarios().toList()) {
            for (String alert : expectedAlerts(scenario)) {
                String[] parts = alert.split(" ");
                if (parts[1].equals("DUPLICATE_SALE")) {
                    duplicates.add(parts[0] + " " + parts[2]);
                }
            }
        }
        assertThat(expectedCauses(duplicates).values()).as("a cause for each").doesNotContainNull();
        assertThat(Files.readAllLines(examplesDir().resolve("all-examples.causes.expected.jsonl")).stream().filter(l -> !l.isBlank()))
                .hasSize(duplicates.size());
    }

    private static Map<Long, String> expectedDeadLetters(String scenario) throws Exception {
        Map<Long, String> expected = new TreeMap<>();
        Path file = examplesDir().resolve(scenario + ".dead-letter.txt");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] parts = line.split("\t", 2);
                    expected.put(Long.parseLong(parts[0].trim()), parts[1].trim());
                }
            }
        }
        return expected;
    }
}
