package io.tracewatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.cases.CaseBook;
import io.tracewatch.cases.PartyGrade;
import io.tracewatch.feed.AlertFilter;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.EventType;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.Severity;
import io.tracewatch.model.internal.CaseState;
import io.tracewatch.testing.Scan;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tail --cases} filters cases by what their alerts are, as it does alerts. */
class TailCommandTest {
    private static final Instant NOW = Instant.parse("2026-04-01T00:00:00Z");
    private static final String PARTY = "PH-120101-0042";

    private static CaseRecord caseOf(String rule, String cause) {
        ScanEvent trigger = Scan.of("e1", EventType.SELL, "03-02 10:00", PARTY).build();
        Alert alert = Alert.newBuilder()
                .setStatus(AlertStatus.RAISED).setAlertId("a-" + rule).setRule(rule).setRuleVersion("v").setSeverity(Severity.HIGH)
                .setCode(trigger.getCode()).setTriggerEventId(trigger.getEventId()).setEventTime(trigger.getEventTime())
                .setDetectedAt(NOW).setPartyId(PARTY).setRegion("120101").setRegionSource("upload").setCause(cause)
                .setEvidence(List.of(trigger)).setExplanation("x").build();
        CaseState state = CaseBook.newCase("2026-03");
        CaseBook.apply(state, alert, PARTY, NOW);
        return CaseBook.record(PARTY, state, new PartyGrade.Grade("B", "r", "r"), NOW);
    }

    private static AlertFilter filter(Map<String, String> options) {
        return AlertFilter.from(options::get);
    }

    @Test
    void aCaseIsShownWhenItsAlertsHaveTheRuleCauseCodeAndSeverityAskedFor() {
        CaseRecord duplicate = caseOf("DUPLICATE_SALE", "CLONED_CODE");
        CaseRecord route = caseOf("IMPOSSIBLE_ROUTE", null);

        assertThat(TailCommand.matches(filter(Map.of("rule", "DUPLICATE_SALE")), duplicate)).isTrue();
        assertThat(TailCommand.matches(filter(Map.of("rule", "DUPLICATE_SALE")), route)).isFalse();
        assertThat(TailCommand.matches(filter(Map.of("cause", "CLONED_CODE")), duplicate)).isTrue();
        assertThat(TailCommand.matches(filter(Map.of("cause", "SAME_PARTY")), duplicate)).isFalse();
        assertThat(TailCommand.matches(filter(Map.of("code", Scan.CODE, "party", PARTY, "region", "1201")), route)).isTrue();
        assertThat(TailCommand.matches(filter(Map.of("code", "86000000000000000000")), route)).isFalse();
        assertThat(TailCommand.matches(filter(Map.of("severity", "LOW")), route)).isFalse();
    }
}
