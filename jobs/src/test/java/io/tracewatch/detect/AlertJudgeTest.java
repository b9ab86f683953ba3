package io.tracewatch.detect;

import static io.tracewatch.model.EventType.RECEIVE;
import static io.tracewatch.model.EventType.SELL;
import static io.tracewatch.model.EventType.SETTLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.alert.AlertFactory;
import io.tracewatch.cases.CasePeriod;
import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.io.codec.Times;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import io.tracewatch.testing.Scan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Judging a code's history, with no Flink: what is raised, retracted, led and left pending. */
class AlertJudgeTest {
    private static final DetectionConfig CONFIG = TracewatchConfig.defaults().detection();
    private static final Reference NONE = Reference.none(CONFIG.ruleSettings());

    private final RecordedOutput out = new RecordedOutput();
    private final AlertJudge judge = new AlertJudge(HistoryWalk.standard(), new AlertFactory(HistoryWalk.standard().rules(), CONFIG.maxAlertBytes()),
            CasePeriod.MONTH, out);

    private static CodeState history(Scan... scans) {
        CodeState state = CodeStateSerializer.INSTANCE.createInstance();
        for (Scan scan : scans) {
            state.getHistory().add(scan.build());
            state.getContents().add(0L);
        }
        state.getHistory().sort(io.tracewatch.rules.Events.EVENT_TIME_ORDER);
        return state;
    }

    private static long micros(ScanEvent event) {
        return Times.epochMicros(event.getEventTime());
    }

    /** A pack settled to insurance at one pharmacy and taken in by another: resale, and sold again. */
    private static CodeState resold() {
        return history(
                Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1").pack(28),
                Scan.of("e2", SELL, "03-02 10:00", "PH-1").txn("T1"),
                Scan.of("e3", SETTLE, "03-02 10:01", "PH-1").txn("T1"),
                Scan.of("e4", RECEIVE, "03-10 10:00", "PH-2").to("DS-9"),
                Scan.of("e5", SELL, "03-11 10:00", "PH-2").txn("T9"));
    }

    @Test
    void whatTheWalkFindsIsRaisedOnceWithItsLead() {
        CodeState state = resold();
        judge.judge(state, Long.MAX_VALUE, null, null, NONE);
        assertThat(out.alertLines()).containsExactlyInAnyOrder(
                "RAISED DUPLICATE_SALE@e5", "RAISED IMPOSSIBLE_ROUTE@e4", "RAISED POST_DISPENSE_RESALE@e4");
        assertThat(out.leadLines()).containsExactly("RAISED POST_DISPENSE_RESALE@e4", "RAISED DUPLICATE_SALE@e5");
        assertThat(state.getRaised()).extracting(a -> a.getRule() + "@" + a.getTriggerEventId()).contains("POST_DISPENSE_RESALE@e4");
        assertThat(state.getRaised()).allSatisfy(a -> assertThat(a.getFingerprint()).isNotZero());
        assertThat(state.getLeads()).hasSize(2).allSatisfy(lead -> assertThat(lead.getFingerprint()).hasSize(16));

        judge.judge(state, Long.MAX_VALUE, null, null, NONE);
        assertThat(out.alerts).as("judged again: nothing new").hasSize(3);
        assertThat(out.leads).hasSize(2);
    }

    @Test
    void eventsPastTheHorizonWaitAndAreJudgedLater() {
        CodeState state = resold();
        long throughE3 = micros(state.getHistory().get(2));
        judge.judge(state, throughE3, null, null, NONE);
        assertThat(out.alerts).isEmpty();
        assertThat(state.getJudgedThrough()).isEqualTo(throughE3);
        assertThat(state.getPendingFrom()).isEqualTo(micros(state.getHistory().get(3)));

        judge.judge(state, Long.MAX_VALUE, null, null, NONE);
        assertThat(out.alerts).hasSize(3);
        assertThat(state.getPendingFrom()).isNull();
        assertThat(state.getJudgedThrough()).isEqualTo(micros(state.getHistory().get(4)));
    }

    @Test
    void anAlertWhoseFindingIsGoneIsRetractedAndItsLeadWithdrawn() {
        CodeState state = resold();
        judge.judge(state, Long.MAX_VALUE, null, null, NONE);
        // without the settlement, nothing was dispensed on insurance: no resale, and nothing for the fund
        ScanEvent settlement = state.getHistory().remove(2);
        state.getContents().remove(2);

        judge.judge(state, Long.MAX_VALUE, null, settlement, NONE);
        assertThat(out.alertLines()).containsExactly("RAISED IMPOSSIBLE_ROUTE@e4", "RAISED POST_DISPENSE_RESALE@e4", "RAISED DUPLICATE_SALE@e5",
                "RAISED DUPLICATE_SALE@e5", "RETRACTED POST_DISPENSE_RESALE@e4");
        assertThat(out.alerts.get(2).getCause()).as("bought back after dispensing").isEqualTo("RESALE");
        assertThat(out.alerts.get(3).getCause()).as("sent again: with no resale, a copied code").isEqualTo("CLONED_CODE");
        assertThat(out.alerts.get(3).getAlertId()).isEqualTo(out.alerts.get(2).getAlertId());
        assertThat(out.leadLines()).containsExactly("RAISED POST_DISPENSE_RESALE@e4", "RAISED DUPLICATE_SALE@e5",
                "RETRACTED POST_DISPENSE_RESALE@e4", "RETRACTED DUPLICATE_SALE@e5");
        assertThat(state.getRaised()).extracting(a -> a.getRule() + "@" + a.getTriggerEventId())
                .containsExactlyInAnyOrder("DUPLICATE_SALE@e5", "IMPOSSIBLE_ROUTE@e4");
        assertThat(state.getLeads()).isEmpty();
    }

    @Test
    void aRetractionNamesAnEventJustEvictedFromTheHistory() {
        CodeState state = history(Scan.of("e1", SELL, "03-01 10:00", "PH-1"), Scan.of("e2", SELL, "03-02 10:00", "PH-1"));
        judge.judge(state, Long.MAX_VALUE, null, null, NONE);
        assertThat(out.alertLines()).containsExactly("RAISED DUPLICATE_SALE@e2");

        List<ScanEvent> kept = new ArrayList<>(state.getHistory());
        ScanEvent evicted = kept.remove(1);
        state.setHistory(kept);
        state.getContents().remove(1);
        judge.judge(state, Long.MAX_VALUE, null, evicted, NONE);
        assertThat(out.alertLines()).containsExactly("RAISED DUPLICATE_SALE@e2", "RETRACTED DUPLICATE_SALE@e2");
        assertThat(out.alerts.get(1).getCode()).isEqualTo(evicted.getCode());
    }
}
