package io.tracewatch.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.alert.FinalAlerts;
import io.tracewatch.detect.ContractExamplesTest;
import io.tracewatch.detect.ShuffledExampleRun;
import io.tracewatch.io.codec.CaseActions;
import io.tracewatch.io.codec.CaseIds;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.CaseStatus;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.internal.ActionRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The case stage in Flink's operator test harness: under any interleaving of the alert records
 * (raised, retracted, raised again) and of processing time, the final cases are the standing alerts
 * grouped by the contract's case key; actions are applied or refused to the dead-letter output.
 */
class CaseStageTest {
    private static final TracewatchConfig CONFIG = TracewatchConfig.defaults();
    private static final int ORDERS = 30;

    private static KeyedTwoInputStreamOperatorTestHarness<String, Alert, ActionRecord, CaseRecord> harness() throws Exception {
        var harness = new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new CaseStage(CONFIG.cases())),
                Alert::getPartyId, (ActionRecord a) -> CaseIds.partyOf(a.getAction().getCaseId()), Types.STRING);
        harness.open();
        return harness;
    }

    /** The alert records of every contract example, each code's in the order the detector wrote them, after a shuffled arrival. */
    private static List<Deque<Alert>> alertStreams(Random random) throws Exception {
        List<Deque<Alert>> streams = new ArrayList<>();
        for (String scenario : ContractExamplesTest.scenarios().filter(s -> !s.startsWith("28-")).toList()) {
            streams.add(new ArrayDeque<>(ShuffledExampleRun.alertsInRandomOrder(scenario, random)));
        }
        return streams;
    }

    @Test
    void finalCasesAreTheStandingAlertsGroupedByPartyAndPeriodInEveryArrivalOrder() throws Exception {
        Random random = new Random(13);
        for (int order = 0; order < ORDERS; order++) {
            List<Deque<Alert>> streams = alertStreams(random);
            List<Alert> all = new ArrayList<>();
            streams.forEach(all::addAll);
            Map<String, Set<String>> expected = new TreeMap<>();
            for (Alert alert : FinalAlerts.of(all).standing()) {
                expected.computeIfAbsent(CaseIds.of(alert.getPartyId(), CasePeriod.MONTH.of(alert.getEventTime())), k -> new TreeSet<>())
                        .add(alert.getAlertId());
            }
            try (var harness = harness()) {
                long processingTime = 0;
                while (streams.stream().anyMatch(s -> !s.isEmpty())) {
                    Deque<Alert> next = streams.get(random.nextInt(streams.size()));
                    if (next.isEmpty()) {
                        continue;
                    }
                    harness.processElement1(new StreamRecord<>(next.poll()));
                    if (random.nextInt(5) == 0) {
                        processingTime += random.nextInt(3000);
                        harness.setProcessingTime(processingTime);
                    }
                }
                harness.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));
                assertThat(finalCases(harness.extractOutputValues())).as("order %d", order).isEqualTo(expected);
            }
        }
    }

    @Test
    void actionsAreAppliedOrRefusedAndANewAlertReopensAClosedCase() throws Exception {
        List<Alert> alerts = ShuffledExampleRun.alertsInRandomOrder("13-clone-two-pharmacies", new Random(1));
        String party = alerts.get(0).getPartyId();
        String caseId = CaseIds.of(party, CasePeriod.MONTH.of(alerts.get(0).getEventTime()));
        try (var harness = harness()) {
            harness.processElement2(new StreamRecord<>(action("{\"case_id\":\"" + caseId + "\",\"action\":\"INVESTIGATE\",\"actor\":\"a\",\"at\":\"2026-04-01T08:00:00+08:00\"}")));
            assertThat(deadLetters(harness)).singleElement().satisfies(d -> assertThat(d.getReason()).startsWith("no case"));

            harness.processElement1(new StreamRecord<>(alerts.get(0)));
            harness.setProcessingTime(CONFIG.cases().emitIntervalMs());
            harness.processElement2(new StreamRecord<>(action("{\"case_id\":\"" + caseId + "\",\"action\":\"CLOSE\",\"disposition\":\"CONFIRMED\",\"actor\":\"inspector\",\"at\":\"2026-04-01T09:00:00+08:00\"}")));
            harness.processElement2(new StreamRecord<>(action("{\"case_id\":\"" + caseId + "\",\"action\":\"INVESTIGATE\",\"actor\":\"inspector\",\"at\":\"2026-04-01T09:01:00+08:00\"}")));
            assertThat(deadLetters(harness)).hasSize(2).last().satisfies(d -> assertThat(d.getReason()).contains("needs an OPEN case"));
            assertThat(last(harness).getStatus()).isEqualTo(CaseStatus.CLOSED);

            // a new alert, not the first sent again with more evidence
            Alert another = alerts.stream().filter(a -> !a.getAlertId().equals(alerts.get(0).getAlertId())).findFirst().orElseThrow();
            harness.processElement1(new StreamRecord<>(another));
            harness.setProcessingTime(2 * CONFIG.cases().emitIntervalMs() + 1);
            CaseRecord reopened = last(harness);
            assertThat(reopened.getStatus()).isEqualTo(CaseStatus.OPEN);
            assertThat(reopened.getActions()).extracting(a -> a.getAction()).containsExactly("CLOSE", "NEW_ALERT");
            assertThat(reopened.getVersion()).isEqualTo(3);
        }
    }

    private static ActionRecord action(String json) {
        return CaseActions.decode(json.getBytes(StandardCharsets.UTF_8), new DeadLetters.Origin("actions", 0, 0));
    }

    private static List<DeadLetter> deadLetters(KeyedTwoInputStreamOperatorTestHarness<String, Alert, ActionRecord, CaseRecord> harness) {
        var letters = harness.getSideOutput(DeadLetters.TAG);
        return letters == null ? List.of() : letters.stream().map(StreamRecord::getValue).toList();
    }

    private static CaseRecord last(KeyedTwoInputStreamOperatorTestHarness<String, Alert, ActionRecord, CaseRecord> harness) {
        List<CaseRecord> records = harness.extractOutputValues();
        return records.get(records.size() - 1);
    }

    private static Map<String, Set<String>> finalCases(List<CaseRecord> records) {
        Map<String, CaseRecord> last = new TreeMap<>();
        for (CaseRecord record : records) {
            assertThat(last.get(record.getCaseId())).as("versions only grow")
                    .satisfiesAnyOf(r -> assertThat(r).isNull(), r -> assertThat(r.getVersion()).isLessThan(record.getVersion()));
            last.put(record.getCaseId(), record);
        }
        Map<String, Set<String>> cases = new TreeMap<>();
        last.forEach((id, record) -> {
            if (record.getStatus() != CaseStatus.WITHDRAWN) {
                Set<String> ids = new TreeSet<>();
                record.getAlerts().forEach(a -> ids.add(a.getAlertId()));
                cases.put(id, ids);
            }
        });
        return cases;
    }
}
