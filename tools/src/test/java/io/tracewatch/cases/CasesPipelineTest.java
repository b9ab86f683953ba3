package io.tracewatch.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.generate.Label;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.codec.CaseIds;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.Lead;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.testing.FlinkCluster;
import io.tracewatch.testing.PipelineRun;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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

/**
 * Cases and leads through the real pipeline: the contract's all-examples expectations, in batch as
 * written and in streaming shuffled, and a held-out check on generated traffic against a grouping
 * of the ground truth done here, from the contract's case key alone.
 */
class CasesPipelineTest {
    @RegisterExtension
    static final FlinkCluster FLINK = new FlinkCluster(2);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TracewatchConfig DEFAULTS = TracewatchConfig.defaults();

    private static Path examples() throws URISyntaxException {
        return Paths.get(CasesPipelineTest.class.getResource("/contract-examples").toURI());
    }

    /** The scenarios the cases and leads files cover: they predate the lifecycle scenarios 36-45. */
    private static final int LAST_CASES_SCENARIO = 35;

    /** Scans files 01-35 in file-name order as one input (the examples README, "Cases and insurance leads"). */
    private static List<String> allExamples() throws Exception {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(examples())) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".scans.jsonl"))
                    .filter(f -> Integer.parseInt(f.getFileName().toString().substring(0, 2)) <= LAST_CASES_SCENARIO).sorted().toList()) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        return lines;
    }

    @Test
    void theContractExamplesGiveExactlyTheExpectedCasesAndLeadsInEveryArrivalOrder(@TempDir Path work) throws Exception {
        List<String> lines = allExamples();
        Path input = work.resolve("all.jsonl");
        Files.write(input, lines);
        PipelineRun batch = PipelineRun.of(DEFAULTS, RuntimeExecutionMode.BATCH, 2, Files.createDirectories(work.resolve("batch")), input);
        checkExpectedCases(batch.finalCases());
        checkExpectedLeads(batch.finalLeads());

        // scenario 28 keeps the copy seen first: its two lines stay in order, everything else is shuffled
        List<String> shuffled = new ArrayList<>(lines);
        Collections.shuffle(shuffled, new Random(28));
        shuffled.removeIf(l -> l.contains("\"ex28-e2\""));
        lines.stream().filter(l -> l.contains("\"ex28-e2\"")).forEach(shuffled::add);
        Path mixed = work.resolve("shuffled.jsonl");
        Files.write(mixed, shuffled);
        PipelineRun streaming = PipelineRun.of(DEFAULTS, RuntimeExecutionMode.STREAMING, 2, Files.createDirectories(work.resolve("stream")), mixed);
        assertThat(streaming.finalCaseMembership()).isEqualTo(batch.finalCaseMembership());
        assertThat(streaming.finalLeads().keySet()).isEqualTo(batch.finalLeads().keySet());
    }

    private static void checkExpectedCases(Map<String, CaseRecord> cases) throws Exception {
        List<JsonNode> expected = readLines(examples().resolve("all-examples.cases.expected.jsonl"));
        assertThat(cases.keySet()).as("case ids").isEqualTo(expected.stream()
                .map(e -> CaseIds.of(e.get("party_id").asText(), e.get("period").asText()))
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
        for (JsonNode e : expected) {
            CaseRecord got = cases.get(CaseIds.of(e.get("party_id").asText(), e.get("period").asText()));
            JsonNode json = JSON.readTree(RecordJson.encode(got));
            for (String field : List.of("alert_count", "code_count", "rules", "first_event_time", "last_event_time", "region")) {
                assertThat(json.get(field)).as(got.getCaseId() + " " + field).isEqualTo(e.get(field));
            }
            assertThat(triples(json.get("alerts"))).as(got.getCaseId() + " alerts").isEqualTo(triples(e.get("alerts")));
            for (JsonNode related : e.get("related_parties_min")) {
                assertThat(got.getRelatedParties()).as(got.getCaseId() + " related")
                        .anyMatch(r -> r.getPartyId().equals(related.get("party_id").asText()) && r.getAlerts() == related.get("alerts").asInt());
            }
            for (JsonNode supplier : e.get("upstream_min")) {
                assertThat(got.getUpstream()).as(got.getCaseId() + " upstream")
                        .anyMatch(u -> u.getPartyId().equals(supplier.get("party_id").asText()) && u.getCodes() == supplier.get("codes").asInt());
            }
        }
    }

    private static void checkExpectedLeads(Map<String, Lead> leads) throws Exception {
        List<JsonNode> expected = readLines(examples().resolve("all-examples.leads.expected.jsonl"));
        Map<String, Lead> byTriple = new TreeMap<>();
        leads.values().forEach(l -> byTriple.put(l.getCode() + " " + l.getRule() + " " + l.getTriggerEventId(), l));
        assertThat(byTriple).hasSameSizeAs(expected);
        for (JsonNode e : expected) {
            Lead got = byTriple.get(e.get("code").asText() + " " + e.get("rule").asText() + " " + e.get("trigger_event_id").asText());
            assertThat(got).as(e.toString()).isNotNull();
            assertThat(got.getFlaggedPartyId()).isEqualTo(e.get("flagged_party_id").asText());
            assertThat(CaseIds.periodOf(got.getCaseId())).isEqualTo(e.get("period").asText());
            for (JsonNode pair : e.get("settled_min")) {
                assertThat(got.getSettled()).as(e + " settled").anyMatch(s -> s.getPartyId().equals(pair.get(0).asText())
                        && s.getEventType().name().equals(pair.get(1).asText()));
            }
            List<Integer> accepted = new ArrayList<>();
            e.get("consumptions_any").forEach(n -> accepted.add(n.asInt()));
            assertThat(accepted).as(e + " consumptions").contains(got.getConsumptions());
        }
    }

    @Test
    void onGeneratedTrafficTheCasesAreTheGroundTruthGroupedByTriggerPartyAndMonthInAnyOrder(@TempDir Path work) throws Exception {
        List<Label> labels = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        Map<String, ScanEvent> events = new HashMap<>();
        new ScanGenerator(ScanGenerator.Settings.defaults(5, 400).withAnomalyRate(0.3).withLateRate(0.05), labels::add)
                .forEachRemaining(scan -> {
                    lines.add(scan.json());
                    if (scan.event() != null) {
                        events.putIfAbsent(scan.event().getCode() + " " + scan.event().getEventId(), scan.event());
                    }
                });
        // the contract's case key, applied to the ground truth
        Map<String, Set<String>> expected = new TreeMap<>();
        for (Label label : labels) {
            ScanEvent trigger = events.get(label.code() + " " + label.triggerEventId());
            String caseId = CaseIds.of(trigger.getPartyId(), CasePeriod.MONTH.of(trigger.getEventTime()));
            expected.computeIfAbsent(caseId, k -> new TreeSet<>()).add(label.code() + " " + label.rule() + " " + label.triggerEventId());
        }
        Set<String> expectedMembership = new TreeSet<>();
        expected.forEach((id, alerts) -> expectedMembership.add(id + ": " + new ArrayList<>(alerts)));

        Path input = work.resolve("scans.jsonl");
        Files.write(input, lines);
        PipelineRun batch = PipelineRun.of(DEFAULTS, RuntimeExecutionMode.BATCH, 2, Files.createDirectories(work.resolve("batch")), input);
        assertThat(batch.finalCaseMembership()).isEqualTo(expectedMembership);

        List<String> shuffled = new ArrayList<>(lines);
        Collections.shuffle(shuffled, new Random(5));
        Path mixed = work.resolve("shuffled.jsonl");
        Files.write(mixed, shuffled);
        PipelineRun streaming = PipelineRun.of(DEFAULTS, RuntimeExecutionMode.STREAMING, 2, Files.createDirectories(work.resolve("stream")), mixed);
        assertThat(streaming.finalCaseMembership()).as("shuffled, streaming").isEqualTo(expectedMembership);
        System.out.printf("cases: %d alerts in %d cases (%d codes)%n", labels.size(), expected.size(),
                labels.stream().map(Label::code).distinct().count());
    }

    private static Set<String> triples(JsonNode alerts) {
        Set<String> triples = new TreeSet<>();
        alerts.forEach(a -> triples.add(a.get("code").asText() + " " + a.get("rule").asText() + " " + a.get("trigger_event_id").asText()));
        return triples;
    }

    private static List<JsonNode> readLines(Path file) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }
}
