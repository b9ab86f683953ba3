package io.tracewatch.insurance;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.cases.CasePeriod;
import io.tracewatch.generate.ScanGenerator;
import io.tracewatch.io.codec.CaseIds;
import io.tracewatch.io.codec.RecordJson;
import io.tracewatch.io.file.FileOutputs;
import io.tracewatch.io.file.FileRequestSource;
import io.tracewatch.io.file.FileScanSource;
import io.tracewatch.io.ports.Inputs;
import io.tracewatch.job.DetectionTopology;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.EventType;
import io.tracewatch.model.Lead;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.Verification;
import io.tracewatch.rules.Events;
import io.tracewatch.testing.FlinkCluster;
import io.tracewatch.testing.ReferenceWalk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Held-out check of the exchange with insurance on generated traffic: the final leads and the
 * answers to verification requests (known codes and unknown ones) equal what {@link ReferenceWalk},
 * an independent reading of the contract, computes from the events and the final alerts, in batch
 * and in streaming with the input shuffled.
 */
class InsuranceExchangeTest {
    @RegisterExtension
    static final FlinkCluster FLINK = new FlinkCluster(2);

    private static final TracewatchConfig CONFIG = TracewatchConfig.defaults();

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = RuntimeExecutionMode.class, names = {"BATCH", "STREAMING"})
    void leadsAndVerificationsEqualAnIndependentReadingOfTheContract(RuntimeExecutionMode mode, @TempDir Path work) throws Exception {
        List<String> lines = new ArrayList<>();
        Map<String, Map<String, ScanEvent>> byCode = new TreeMap<>();
        new ScanGenerator(ScanGenerator.Settings.defaults(17, 500).withAnomalyRate(0.3).withLateRate(0.05), label -> {})
                .forEachRemaining(scan -> {
                    lines.add(scan.json());
                    if (scan.event() != null) {
                        byCode.computeIfAbsent(scan.event().getCode(), c -> new LinkedHashMap<>()).putIfAbsent(scan.event().getEventId(), scan.event());
                    }
                });
        if (mode == RuntimeExecutionMode.STREAMING) {
            Collections.shuffle(lines, new Random(17));
        }
        Path scans = work.resolve("scans.jsonl");
        Files.write(scans, lines);
        List<String> sample = new ArrayList<>(byCode.keySet()).subList(0, 120);
        List<String> requests = new ArrayList<>();
        for (String code : sample) {
            requests.add("{\"request_id\":\"r-" + code + "\",\"code\":\"" + code + "\",\"requested_by\":\"insurance\"}");
        }
        requests.add("{\"request_id\":\"r-unknown\",\"code\":\"86999990000000000001\",\"requested_by\":\"insurance\"}");
        Path requestFile = work.resolve("requests.jsonl");
        Files.write(requestFile, requests);

        Path alertsFile = work.resolve("alerts.jsonl");
        Path leadsFile = work.resolve("leads.jsonl");
        Path answersFile = work.resolve("verifications.jsonl");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(mode);
        env.setParallelism(2);
        DetectionTopology.build(env, CONFIG, Inputs.of(new FileScanSource(List.of(scans))).withRequests(new FileRequestSource(requestFile)),
                new FileOutputs(alertsFile, work.resolve("dead.jsonl")).withLeads(leadsFile).withVerifications(answersFile));
        env.execute("insurance exchange " + mode);

        List<Alert> standing = FinalAlerts.read(alertsFile).standing();
        Map<String, List<ScanEvent>> histories = new TreeMap<>();
        byCode.forEach((code, events) -> histories.put(code, events.values().stream().sorted(Events.EVENT_TIME_ORDER).toList()));

        Map<String, String> expectedLeads = new TreeMap<>();
        for (Alert alert : standing) {
            String lead = referenceLead(alert, histories.get(alert.getCode()));
            if (lead != null) {
                expectedLeads.put(alert.getAlertId(), lead);
            }
        }
        Map<String, Lead> last = new TreeMap<>();
        for (String line : Files.readAllLines(leadsFile)) {
            Lead lead = RecordJson.decode(line, Lead.class);
            last.put(lead.getLeadId(), lead);
        }
        Map<String, String> actualLeads = new TreeMap<>();
        last.values().stream().filter(l -> l.getStatus() == AlertStatus.RAISED).forEach(l -> actualLeads.put(l.getLeadId(), describe(l)));
        assertThat(actualLeads).isEqualTo(expectedLeads);
        assertThat(expectedLeads).isNotEmpty();

        Map<String, Set<String>> standingByCode = new TreeMap<>();
        standing.forEach(a -> standingByCode.computeIfAbsent(a.getCode(), c -> new TreeSet<>()).add(a.getAlertId()));
        Map<String, Verification> answers = new TreeMap<>();
        for (String line : Files.readAllLines(answersFile)) {
            Verification answer = RecordJson.decode(line, Verification.class);
            answers.put(answer.getRequestId(), answer);
        }
        assertThat(answers).hasSize(requests.size());
        for (String code : sample) {
            Verification answer = answers.get("r-" + code);
            List<ScanEvent> history = histories.get(code);
            assertThat(answer.getKnown()).isTrue();
            assertThat(answer.getCustody()).extracting(c -> c.getEventId()).as(code)
                    .isEqualTo(history.stream().map(ScanEvent::getEventId).toList());
            assertThat(answer.getUpstream()).as(code + " upstream").isEqualTo(ReferenceWalk.upstream(history));
            Set<String> standingIds = answer.getStandingAlerts().stream().map(s -> s.getAlertId()).collect(Collectors.toCollection(TreeSet::new));
            assertThat(standingIds).as(code + " standing").isEqualTo(standingByCode.getOrDefault(code, Set.of()));
        }
        Verification unknown = answers.get("r-unknown");
        assertThat(unknown.getKnown()).isFalse();
        assertThat(unknown.getCustody()).isEmpty();
        assertThat(unknown.getUpstream()).isEmpty();
        System.out.printf("insurance exchange (%s): %d leads from %d standing alerts, %d verifications%n",
                mode, actualLeads.size(), standing.size(), answers.size());
    }

    /** The lead the contract makes of a standing alert, described, or null when it makes none. */
    private static String referenceLead(Alert alert, List<ScanEvent> history) {
        ReferenceWalk walk = new ReferenceWalk();
        List<ScanEvent> settled = new ArrayList<>();
        for (ScanEvent event : history) {
            boolean trigger = event.getEventId().equals(alert.getTriggerEventId());
            if (trigger && alert.getRule().equals("POST_DISPENSE_RESALE")) {
                walk.unreversed().stream().filter(ReferenceWalk.Consumption::dispensedOrSettled)
                        .forEach(k -> k.events.stream().filter(InsuranceExchangeTest::settles).forEach(settled::add));
            }
            walk.apply(event);
            if (trigger) {
                if (alert.getRule().equals("DUPLICATE_SALE")) {
                    walk.unreversed().forEach(k -> k.events.stream().filter(InsuranceExchangeTest::settles).forEach(settled::add));
                    if (settles(event) && !settled.contains(event)) {
                        settled.add(event);
                    }
                } else if (!alert.getRule().equals("POST_DISPENSE_RESALE")) {
                    return null;
                }
                if (settled.isEmpty()) {
                    return null;
                }
                String caseId = CaseIds.of(event.getPartyId(), CasePeriod.MONTH.of(event.getEventTime()));
                return alert.getRule() + " " + event.getPartyId() + " " + caseId + " consumptions=" + walk.unreversed().size()
                        + " settled=" + settled.stream().map(e -> e.getPartyId() + "/" + e.getEventType()).sorted().toList();
            }
        }
        throw new AssertionError("trigger not in history: " + alert.getTriggerEventId());
    }

    private static boolean settles(ScanEvent event) {
        return event.getEventType() == EventType.DISPENSE || event.getEventType() == EventType.SETTLE;
    }

    private static String describe(Lead lead) {
        return lead.getRule() + " " + lead.getFlaggedPartyId() + " " + lead.getCaseId() + " consumptions=" + lead.getConsumptions()
                + " settled=" + lead.getSettled().stream().map(s -> s.getPartyId() + "/" + s.getEventType()).sorted().toList();
    }
}
