package io.tracewatch.detect;

import static io.tracewatch.model.EventType.RECEIVE;
import static io.tracewatch.model.EventType.SELL;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.alert.AlertFactory;
import io.tracewatch.cases.CasePeriod;
import io.tracewatch.detect.DetectorOutput.Count;
import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.io.codec.Times;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.BufferedScan;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import io.tracewatch.testing.Decoding;
import io.tracewatch.testing.Scan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A scan merged into its code's history as of its arrival, with no Flink. */
class CodeHistoryTest {
    private static final long NOW_MS = Instant.parse("2026-03-20T00:00:00Z").toEpochMilli();
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private final RecordedOutput out = new RecordedOutput();
    private long position;

    private CodeHistory histories(String... settings) {
        DetectionConfig config = TracewatchConfig.load(null, List.of(settings)).detection();
        AlertJudge judge = new AlertJudge(HistoryWalk.standard(), new AlertFactory(HistoryWalk.standard().rules(), config.maxAlertBytes()),
                CasePeriod.MONTH, out);
        return new CodeHistory(config, judge, new Sealing(config, HistoryWalk.standard()), out);
    }

    private Ingested scan(Scan scan) {
        return Decoding.event(scan.build(), ++position);
    }

    /** A scan arriving while the watermark is at {@code watermarkMs}. */
    private static BufferedScan arriving(Ingested scan, long watermarkMs) {
        return new BufferedScan(scan, watermarkMs, NOW_MS, 0L);
    }

    private static void merge(CodeHistory histories, CodeState state, BufferedScan arrival) throws Exception {
        histories.merge(state, arrival, true, () -> Reference.none(TracewatchConfig.defaults().detection().ruleSettings()));
    }

    private static List<String> ids(CodeState state) {
        return state.getHistory().stream().map(ScanEvent::getEventId).toList();
    }

    @Test
    void eventsAreKeptInEventTimeOrderAndWaitUntilJudged() throws Exception {
        CodeHistory histories = histories();
        CodeState state = CodeStateSerializer.INSTANCE.createInstance();
        Ingested sale = scan(Scan.of("e2", SELL, "03-02 10:00", "PH-1"));
        Ingested receipt = scan(Scan.of("e1", RECEIVE, "03-01 10:00", "PH-1").to("DS-1"));
        merge(histories, state, arriving(sale, Long.MIN_VALUE));
        merge(histories, state, arriving(receipt, Long.MIN_VALUE));

        assertThat(ids(state)).containsExactly("e1", "e2");
        assertThat(state.getPendingFrom()).isEqualTo(Times.epochMicros(receipt.getEvent().getEventTime()));
        assertThat(out.alerts).isEmpty();
    }

    @Test
    void aReuploadIsDroppedAndAConflictingCopyRefused() throws Exception {
        CodeHistory histories = histories();
        CodeState state = CodeStateSerializer.INSTANCE.createInstance();
        Ingested sale = scan(Scan.of("e1", SELL, "03-02 10:00", "PH-1"));
        merge(histories, state, arriving(sale, Long.MIN_VALUE));
        merge(histories, state, arriving(sale, Long.MIN_VALUE));
        Ingested conflicting = scan(Scan.of("e1", SELL, "03-02 10:00", "PH-2"));
        conflicting.setContent(sale.getContent() + 1);
        merge(histories, state, arriving(conflicting, Long.MIN_VALUE));

        assertThat(ids(state)).containsExactly("e1");
        assertThat(out.counts).containsEntry(Count.REUPLOAD, 1).containsEntry(Count.CONFLICTING_DUPLICATE, 1);
        assertThat(out.deadLetters).singleElement().satisfies(d -> assertThat(d.getReason()).startsWith("conflicting duplicate"));
    }

    @Test
    void anEventTheWatermarkPassedIsLateAndJudgedAtOnce() throws Exception {
        CodeHistory histories = histories();
        CodeState state = CodeStateSerializer.INSTANCE.createInstance();
        Ingested first = scan(Scan.of("e1", SELL, "03-01 10:00", "PH-1"));
        Ingested second = scan(Scan.of("e2", SELL, "03-02 10:00", "PH-1"));
        long afterBoth = second.getEvent().getEventTime().toEpochMilli() + 1;
        merge(histories, state, arriving(first, afterBoth));
        merge(histories, state, arriving(second, afterBoth));

        assertThat(out.counts).containsEntry(Count.LATE_EVENT, 2);
        assertThat(out.alertLines()).containsExactly("RAISED DUPLICATE_SALE@e2");
        assertThat(state.getPendingFrom()).isNull();
    }

    @Test
    void aFullHistoryRefusesTheLatestEventToTheDeadLetters() throws Exception {
        CodeHistory histories = histories("detection.max_events_per_code=2");
        CodeState state = CodeStateSerializer.INSTANCE.createInstance();
        merge(histories, state, arriving(scan(Scan.of("e1", RECEIVE, "03-01 10:00", "PH-1").to("DS-1")), Long.MIN_VALUE));
        merge(histories, state, arriving(scan(Scan.of("e3", SELL, "03-03 10:00", "PH-1")), Long.MIN_VALUE));
        merge(histories, state, arriving(scan(Scan.of("e2", SELL, "03-02 10:00", "PH-1")), Long.MIN_VALUE));

        assertThat(ids(state)).as("the latest event makes room").containsExactly("e1", "e2");
        assertThat(out.counts).containsEntry(Count.HISTORY_OVERFLOW, 1);
        assertThat(out.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.getReason()).startsWith("history full");
            assertThat(d.getEventId()).isEqualTo("e3");
        });
        assertThat(state.getOverflowed()).isEqualTo(1);
    }

    @Test
    void aCodeIsKeptForItsRetentionAfterItsLastEventCappedAtTheWallClock() throws Exception {
        CodeHistory histories = histories("detection.retention_after_last_event_days=30", "detection.max_future_skew_ms=0");
        CodeState state = CodeStateSerializer.INSTANCE.createInstance();
        Ingested sale = scan(Scan.of("e1", SELL, "03-02 10:00", "PH-1"));
        merge(histories, state, arriving(sale, Long.MIN_VALUE));
        assertThat(histories.retainedUntil(state, NOW_MS)).isEqualTo(sale.getEvent().getEventTime().toEpochMilli() + 30 * DAY_MS);

        Ingested yearsAhead = scan(Scan.of("e2", SELL, "03-02 10:00", "PH-1"));
        yearsAhead.getEvent().setEventTime(Instant.parse("2036-03-02T02:00:00Z"));
        merge(histories, state, arriving(yearsAhead, Long.MIN_VALUE));
        assertThat(histories.retainedUntil(state, NOW_MS)).as("a time stamped ahead counts from the wall clock").isEqualTo(NOW_MS + 30 * DAY_MS);
    }
}
