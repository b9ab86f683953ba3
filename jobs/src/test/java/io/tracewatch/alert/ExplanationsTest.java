package io.tracewatch.alert;

import static io.tracewatch.model.EventType.DISPENSE;
import static io.tracewatch.model.EventType.RECEIVE;
import static io.tracewatch.model.EventType.SELL;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import io.tracewatch.rules.RuleId;
import io.tracewatch.testing.Scan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The English sentence of a duplicate sale counts what the pack has given, split or whole. */
class ExplanationsTest {
    private static final Reference NONE = Reference.none(TracewatchConfig.defaults().detection().ruleSettings());

    private static String duplicateSale(Scan... scans) {
        List<ScanEvent> history = new ArrayList<>(Arrays.stream(scans).map(Scan::build).toList());
        history.sort(Events.EVENT_TIME_ORDER);
        return HistoryWalk.standard().findings(history, NONE).stream().filter(finding -> finding.rule() == RuleId.DUPLICATE_SALE)
                .map(Explanations::of).findFirst().orElseThrow();
    }

    @Test
    void aSplitPackIsCountedInUnitsAndAnIndivisibleOneInConsumptions() {
        assertThat(duplicateSale(
                Scan.of("e1", RECEIVE, "03-01 09:00", "PH-1").to("DS-1").pack(28),
                Scan.of("e2", SELL, "03-02 10:00", "PH-1").qty(20).txn("T1"),
                Scan.of("e3", SELL, "03-03 10:00", "PH-1").qty(20).txn("T2")))
                .contains(" brings the pack to 40 of 28 units consumed");
        assertThat(duplicateSale(
                Scan.of("e1", RECEIVE, "03-01 09:00", "H-1").to("DS-1"),
                Scan.of("e2", DISPENSE, "03-02 10:00", "H-1").txn("T1"),
                Scan.of("e3", DISPENSE, "03-03 10:00", "H-1").txn("T2")))
                .contains(" is consumption 2 of an indivisible pack");
    }
}
