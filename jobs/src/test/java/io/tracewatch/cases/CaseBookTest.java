package io.tracewatch.cases;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.io.codec.CaseIds;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.CaseAction;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.CaseStatus;
import io.tracewatch.model.Disposition;
import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.Severity;
import io.tracewatch.model.internal.CaseState;
import io.tracewatch.testing.Scan;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The contract's "Case key and membership" and "Handling", sentence by sentence, with no Flink. */
class CaseBookTest {
    private static final Instant NOW = Instant.parse("2026-04-01T00:00:00Z");
    private static final String PARTY = "PH-120101-0042";

    private static Alert alert(String id, String rule, Severity severity, ScanEvent... evidence) {
        ScanEvent trigger = evidence[evidence.length - 1];
        return Alert.newBuilder()
                .setStatus(AlertStatus.RAISED).setAlertId(id).setRule(rule).setRuleVersion("v").setSeverity(severity)
                .setCode(trigger.getCode()).setTriggerEventId(trigger.getEventId()).setEventTime(trigger.getEventTime())
                .setDetectedAt(NOW).setPartyId(trigger.getPartyId()).setRegion(trigger.getRegion()).setRegionSource("upload")
                .setEvidence(List.of(evidence)).setExplanation("x").build();
    }

    private static Alert retraction(Alert raised) {
        return Alert.newBuilder(raised).setStatus(AlertStatus.RETRACTED).setEvidence(List.of()).build();
    }

    private static CaseAction action(String action, Disposition disposition) {
        return CaseAction.newBuilder().setCaseId(PARTY + "@2026-03").setAction(action).setDisposition(disposition)
                .setActor("inspector-7").setAt(NOW).build();
    }

    private static CaseState withOneAlert() {
        CaseState state = CaseBook.newCase("2026-03");
        CaseBook.apply(state, alert("a1", "DUPLICATE_SALE", Severity.HIGH, Scan.of("e1", EventType.SELL, "03-02 10:00", PARTY).build()), PARTY, NOW);
        return state;
    }

    @Test
    void aCaseGathersEveryStandingAlertOfItsPartyAndCountsThem() {
        CaseState state = CaseBook.newCase("2026-03");
        ScanEvent receive = Scan.of("e1", EventType.RECEIVE, "03-02 09:00", PARTY).to("DS-120000-0007").build();
        ScanEvent sale = Scan.of("e2", EventType.SELL, "03-02 10:00", PARTY).build();
        ScanEvent elsewhere = Scan.of("e0", EventType.DISPENSE, "03-01 10:00", "HOS-120103-0001").build();
        CaseBook.apply(state, alert("a1", "POST_DISPENSE_RESALE", Severity.CRITICAL, elsewhere, receive), PARTY, NOW);
        CaseBook.apply(state, alert("a2", "IMPOSSIBLE_ROUTE", Severity.MEDIUM, elsewhere, receive), PARTY, NOW);
        CaseBook.apply(state, alert("a3", "DUPLICATE_SALE", Severity.HIGH,
                Scan.of("x1", EventType.SELL, "03-02 10:00", PARTY).code("86123450000000000009").build()), PARTY, NOW);

        CaseRecord record = CaseBook.record(PARTY, state, null, NOW);
        assertThat(record.getCaseId()).isEqualTo(PARTY + "@2026-03");
        assertThat(record.getAlertCount()).isEqualTo(3);
        assertThat(record.getCodeCount()).isEqualTo(2);
        assertThat(record.getRules()).containsEntry("POST_DISPENSE_RESALE", 1).containsEntry("IMPOSSIBLE_ROUTE", 1).containsEntry("DUPLICATE_SALE", 1);
        assertThat(record.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(record.getRelatedParties()).extracting(r -> r.getPartyId() + "=" + r.getAlerts())
                .containsExactly("DS-120000-0007=2", "HOS-120103-0001=2");
        assertThat(record.getUpstream()).extracting(u -> u.getPartyId() + "=" + u.getCodes()).containsExactly("DS-120000-0007=1");
        assertThat(record.getAlerts()).extracting(a -> a.getAlertId()).containsExactly("a1", "a2", "a3");
        assertThat(record.getFirstEventTime()).isEqualTo(receive.getEventTime());
        assertThat(record.getLastEventTime()).isEqualTo(sale.getEventTime());
        assertThat(record.getPartyType()).hasToString("PHARMACY");
    }

    @Test
    void aRecordPastItsByteBudgetListsItsFirstAlertsAndSaysItIsTruncated() {
        CaseState state = CaseBook.newCase("2026-03");
        for (int i = 0; i < 2_000; i++) {
            CaseBook.apply(state, alert(String.format("a%04d", i), "DUPLICATE_SALE", Severity.HIGH,
                    Scan.of("e" + i, EventType.SELL, "03-02 10:00", PARTY).code(String.format("861234500000000%05d", i)).build()), PARTY, NOW);
        }
        java.util.function.ToIntFunction<CaseRecord> json = io.tracewatch.io.codec.RecordJson::encodedBytes;
        int whole = json.applyAsInt(CaseBook.record(PARTY, state, null, NOW));
        assertThat(io.tracewatch.io.codec.RecordJson.bytesAtMost(CaseBook.record(PARTY, state, null, NOW)))
                .as("the bound the case stage checks first").isGreaterThanOrEqualTo(whole);

        assertThat(CaseBook.withinBytes(CaseBook.record(PARTY, state, null, NOW), whole, json).getAlerts()).hasSize(2_000);
        CaseRecord cut = CaseBook.withinBytes(CaseBook.record(PARTY, state, null, NOW), whole / 4, json);
        assertThat(json.applyAsInt(cut)).isLessThanOrEqualTo(whole / 4);
        assertThat(cut.getAlertsTruncated()).isTrue();
        assertThat(cut.getAlerts()).hasSizeBetween(300, 500).first().extracting(a -> a.getAlertId()).isEqualTo("a0000");
        cut.getAlerts().add(CaseBook.record(PARTY, state, null, NOW).getAlerts().get(cut.getAlerts().size()));
        assertThat(json.applyAsInt(cut)).as("one alert more would not fit").isGreaterThan(whole / 4);
        assertThat(cut.getAlertCount()).as("the counts stay whole").isEqualTo(2_000);
    }

    @Test
    void theLastRetractionWithdrawsTheCaseAndANewAlertOpensItAgain() {
        CaseState state = withOneAlert();
        Alert a1 = alert("a1", "DUPLICATE_SALE", Severity.HIGH, Scan.of("e1", EventType.SELL, "03-02 10:00", PARTY).build());
        assertThat(CaseBook.apply(state, retraction(a1), PARTY, NOW)).isTrue();
        assertThat(state.getStatus()).isEqualTo(CaseStatus.WITHDRAWN);
        assertThat(CaseBook.apply(state, retraction(a1), PARTY, NOW)).as("a second retraction changes nothing").isFalse();
        CaseBook.apply(state, alert("a2", "DUPLICATE_SALE", Severity.HIGH, Scan.of("e2", EventType.SELL, "03-03 10:00", PARTY).build()), PARTY, NOW);
        assertThat(state.getStatus()).isEqualTo(CaseStatus.OPEN);
    }

    @Test
    void aNewAlertOnAClosedCaseReopensItAndSaysSo() {
        CaseState state = withOneAlert();
        assertThat(CaseBook.apply(state, action("CLOSE", Disposition.CONFIRMED))).isNull();
        CaseBook.apply(state, alert("a2", "IMPOSSIBLE_ROUTE", Severity.MEDIUM, Scan.of("e2", EventType.SELL, "03-03 10:00", PARTY).build()), PARTY, NOW);
        assertThat(state.getStatus()).isEqualTo(CaseStatus.OPEN);
        assertThat(state.getDisposition()).isNull();
        assertThat(state.getActions()).extracting(a -> a.getAction() + " " + a.getActor()).containsExactly("CLOSE inspector-7", "NEW_ALERT tracewatch");
    }

    @Test
    void aDuplicateSaleSentAgainWithANewCauseChangesItsCaseButDoesNotReopenIt() {
        CaseState state = withOneAlert();
        assertThat(CaseBook.apply(state, action("CLOSE", Disposition.CONFIRMED))).isNull();
        Alert again = alert("a1", "DUPLICATE_SALE", Severity.HIGH, Scan.of("e1", EventType.SELL, "03-02 10:00", PARTY).build());
        again.setCause("CODE_COLLISION");
        assertThat(CaseBook.apply(state, again, PARTY, NOW)).as("a new cause").isTrue();
        assertThat(CaseBook.apply(state, again, PARTY, NOW)).as("the same cause again").isFalse();
        assertThat(state.getStatus()).isEqualTo(CaseStatus.CLOSED);
        assertThat(state.getMemberCount()).isEqualTo(1);
        assertThat(CaseBook.record(PARTY, state, null, NOW).getAlerts()).singleElement()
                .satisfies(a -> assertThat(a.getCause()).isEqualTo("CODE_COLLISION"));
    }

    @ParameterizedTest(name = "{1} on {0} -> {2}")
    @CsvSource(nullValues = "-", value = {
        "OPEN, INVESTIGATE, -, INVESTIGATING",
        "OPEN, CLOSE, CONFIRMED, CLOSED",
        "INVESTIGATING, CLOSE, FALSE_ALARM, CLOSED",
        "CLOSED, REOPEN, -, OPEN",
        "INVESTIGATING, INVESTIGATE, -, refused",
        "CLOSED, INVESTIGATE, -, refused",
        "CLOSED, CLOSE, CONFIRMED, refused",
        "OPEN, CLOSE, -, refused",
        "OPEN, REOPEN, -, refused",
        "INVESTIGATING, REOPEN, -, refused",
        "WITHDRAWN, INVESTIGATE, -, refused",
        "WITHDRAWN, CLOSE, REFERRED, refused",
        "WITHDRAWN, REOPEN, -, refused",
        "OPEN, ESCALATE, -, refused",
    })
    void everyHandlingTransitionIsAppliedOrRefusedWithAReason(CaseStatus from, String act, Disposition disposition, String outcome) {
        CaseState state = withOneAlert();
        state.setStatus(from);
        int actions = state.getActions().size();
        String refusal = CaseBook.apply(state, action(act, disposition));
        if (outcome.equals("refused")) {
            assertThat(refusal).isNotBlank();
            assertThat(state.getStatus()).as("changes nothing").isEqualTo(from);
            assertThat(state.getActions()).hasSize(actions);
        } else {
            assertThat(refusal).isNull();
            assertThat(state.getStatus()).isEqualTo(CaseStatus.valueOf(outcome));
            assertThat(state.getActions()).last().satisfies(entry -> {
                assertThat(entry.getAction()).isEqualTo(act);
                assertThat(entry.getActor()).isEqualTo("inspector-7");
                assertThat(entry.getDisposition()).isEqualTo(outcome.equals("CLOSED") ? disposition : null);
            });
        }
    }

    @Test
    void aPartyIsGradedFromItsAlertsAndHandledCases() {
        CaseState state = withOneAlert();
        var policy = io.tracewatch.job.TracewatchConfig.defaults().cases().grade();
        assertThat(PartyGrade.of(PartyGrade.figures(List.of(state)), policy).letter()).isEqualTo("B");
        CaseBook.apply(state, action("CLOSE", Disposition.FALSE_ALARM));
        assertThat(PartyGrade.of(PartyGrade.figures(List.of(state)), policy).reason()).isEqualTo("A: no standing alert in 365 days");
        CaseBook.apply(state, action("REOPEN", null));
        CaseBook.apply(state, action("CLOSE", Disposition.CONFIRMED));
        assertThat(PartyGrade.of(PartyGrade.figures(List.of(state)), policy).reason()).isEqualTo("C: 1 confirmed case in 365 days");
    }

    @Test
    void theCaseKeyIsTheTriggersPartyAndItsMonthInChinaStandardTime() {
        assertThat(CasePeriod.MONTH.of(Instant.parse("2026-03-31T16:30:00Z"))).isEqualTo("2026-04");
        assertThat(CasePeriod.MONTH.of(Instant.parse("2026-03-31T15:59:59Z"))).isEqualTo("2026-03");
        assertThat(CasePeriod.WEEK.of(Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo("2026-W01");
        assertThat(CasePeriod.DAY.of(Instant.parse("2026-03-01T17:00:00Z"))).isEqualTo("2026-03-02");
        assertThat(CaseIds.of("PH@X-1", "2026-03")).isEqualTo("PH@X-1@2026-03");
        assertThat(CaseIds.partyOf("PH@X-1@2026-03")).isEqualTo("PH@X-1");
        assertThat(CaseIds.periodOf("PH@X-1@2026-03")).isEqualTo("2026-03");
    }
}
