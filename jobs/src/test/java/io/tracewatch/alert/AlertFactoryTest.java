package io.tracewatch.alert;

import static io.tracewatch.model.EventType.SELL;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.detect.DetectionConfig;
import io.tracewatch.io.codec.AlertJson;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.Finding;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import io.tracewatch.testing.Scan;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alerts are bounded whatever the uploads held: evidence is capped, the trigger kept, the sentence short. */
class AlertFactoryTest {
    private static final DetectionConfig DEFAULTS = TracewatchConfig.defaults().detection();

    @Test
    void anAlertStaysWithinTheSizeLimitKeepingTheTriggerAndCountingWhatItLeftOut() {
        HistoryWalk walk = HistoryWalk.standard();
        AlertFactory factory = new AlertFactory(walk.rules(), DEFAULTS.maxAlertBytes());
        Reference reference = Reference.none(DEFAULTS.ruleSettings());
        // 250 split sales of one unit by 250 parties, each with 1,000-character fields: every one is evidence
        String wide = "\u0001".repeat(1000);
        List<ScanEvent> history = new ArrayList<>();
        history.add(Scan.of("e000", SELL, "03-01 10:00", "PH-" + wide).pack(1000).qty(1).build());
        for (int i = 1; i < 250; i++) {
            ScanEvent event = Scan.of(String.format("e%03d", i), SELL, "03-01 10:00", "PH-" + i + wide).qty(i == 249 ? 900 : 1)
                    .batch(wide, wide).txn(wide).build();
            history.add(event);
        }
        history.sort(Events.EVENT_TIME_ORDER);
        Finding finding = walk.findings(history, reference).stream()
                .filter(f -> f.trigger().getEventId().equals("e249")).findFirst().orElseThrow();

        Alert alert = factory.raised(finding, false, Instant.now(), reference);

        int bytes = AlertJson.encode(alert).getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).isLessThanOrEqualTo(DEFAULTS.maxAlertBytes());
        assertThat(alert.getEvidenceOmitted()).isPositive();
        assertThat(alert.getEvidence().size() + alert.getEvidenceOmitted()).isEqualTo(finding.evidence().size() + 1);
        assertThat(alert.getEvidence().get(alert.getEvidence().size() - 1).getEventId()).isEqualTo("e249");
        assertThat(alert.getEvidence().get(0).getEventId()).isEqualTo("e000");
        assertThat(alert.getExplanation().length()).isLessThanOrEqualTo(Explanations.MAX_CHARS);
        assertThat(AlertJson.decode(AlertJson.encode(alert)).getEvidenceOmitted()).isEqualTo(alert.getEvidenceOmitted());
    }

    @Test
    void theSizeBoundThatSparesWritingAnAlertOutIsNeverBelowItsSize() {
        HistoryWalk walk = HistoryWalk.standard();
        AlertFactory factory = new AlertFactory(walk.rules(), DEFAULTS.maxAlertBytes());
        Reference reference = Reference.none(DEFAULTS.ruleSettings());
        java.util.Random random = new java.util.Random(3);
        String[] alphabet = {"a", "\u0001", "\"", "\\", "\u00e9", "\u836f", "\ud83d\udc8a", "\u2028"};
        for (int round = 0; round < 200; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(300); i > 0; i--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            List<ScanEvent> history = new ArrayList<>();
            history.add(Scan.of("e1", SELL, "03-01 10:00", "PH-1" + text).pack(24).batch(text.toString(), "B" + text).build());
            history.add(Scan.of("e2", SELL, "03-02 10:00", "PH-2" + text).txn(text.toString()).build());
            for (Finding finding : walk.findings(history, reference)) {
                Alert alert = factory.raised(finding, false, Instant.now(), reference);
                assertThat(io.tracewatch.io.codec.RecordJson.bytesAtMost(alert)).isGreaterThanOrEqualTo(AlertJson.encode(alert).getBytes(StandardCharsets.UTF_8).length);
            }
        }
    }

    @Test
    void distancesUnderAHundredKilometresKeepOneDecimalAndOneUnitIsSingular() {
        assertThat(Explanations.kilometres(2.04)).isEqualTo("2.0");
        assertThat(Explanations.kilometres(52.46)).isEqualTo("52.5");
        assertThat(Explanations.kilometres(1820.4)).isEqualTo("1820");
        assertThat(Explanations.describe(Scan.of("e1", SELL, "03-01 10:00", "PH-1").qty(1).build())).contains("(1 unit)");
        assertThat(Explanations.describe(Scan.of("e1", SELL, "03-01 10:00", "PH-1").qty(2).build())).contains("(2 units)");
    }
}
