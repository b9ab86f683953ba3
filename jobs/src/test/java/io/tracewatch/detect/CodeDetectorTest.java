package io.tracewatch.detect;

import static io.tracewatch.model.EventType.RECEIVE;
import static io.tracewatch.model.EventType.RETURN;
import static io.tracewatch.model.EventType.SELL;
import static io.tracewatch.model.EventType.SHIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.model.internal.ReferenceRecord;
import io.tracewatch.testing.Decoding;
import io.tracewatch.testing.Scan;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The keyed detector in Flink's operator test harness: ordering, lateness, retraction, timers, state. */
class CodeDetectorTest {
    private DetectorOperatorHarness harness;
    private long arrivals;

    private void start(DetectionConfig config) throws Exception {
        harness = ShuffledExampleRun.open(new CodeDetector(config, io.tracewatch.cases.CasePeriod.MONTH));
    }

    private void start() throws Exception {
        start(TracewatchConfig.defaults().detection());
    }

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    /** A checkpoint, then the detector as a new instance restored from it, as after a failure. */
    private void restartFromCheckpoint() throws Exception {
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        harness.close();
        harness = new DetectorOperatorHarness(new CodeDetector(TracewatchConfig.defaults().detection(), io.tracewatch.cases.CasePeriod.MONTH));
        harness.initializeState(checkpoint);
        harness.open();
        harness.processBroadcastWatermark(Long.MAX_VALUE);
    }

    private ScanEvent send(Scan scan) throws Exception {
        ScanEvent event = scan.build();
        Ingested record = Decoding.event(event, ++arrivals);
        harness.processElement(new StreamRecord<>(record, event.getEventTime().toEpochMilli()));
        return event;
    }

    private void watermarkPast(ScanEvent event) throws Exception {
        harness.processWatermark(event.getEventTime().toEpochMilli());
    }

    private List<String> output() {
        return harness.extractOutputValues().stream()
                .map(a -> a.getStatus() + " " + a.getRule() + "@" + a.getTriggerEventId())
                .collect(Collectors.toList());
    }

    @Test
    void anEventIsJudgedOnlyOnceTheWatermarkPassesIt() throws Exception {
        start();
        send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24));
        ScanEvent second = send(Scan.of("e2", SELL, "03-02 10:00", "PH-1"));
        assertThat(output()).isEmpty();

        harness.processWatermark(second.getEventTime().toEpochMilli() - 1);
        assertThat(output()).isEmpty();

        watermarkPast(second);
        assertThat(output()).containsExactly("RAISED DUPLICATE_SALE@e2");
    }

    @Test
    void scansWhoseInputEndsBeforeTheReferenceDataIsInAreJudgedWhenItArrives() throws Exception {
        harness = ShuffledExampleRun.open(new CodeDetector(TracewatchConfig.defaults().detection(), io.tracewatch.cases.CasePeriod.MONTH,
                true, false, new ReferenceMode(true, false), true));
        harness.setProcessingTime(0);
        send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24));
        send(Scan.of("e2", SELL, "03-02 10:00", "PH-1"));
        // a judge timer that found no reference used to register itself again at the watermark: the task spun for good
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> harness.processWatermark(Long.MAX_VALUE));
        assertThat(output()).isEmpty();

        // no processing time passes: a bounded run's retries end with its inputs
        harness.processBroadcastElement(new StreamRecord<>(ReferenceRecord.newBuilder().setReady(true).build()));
        assertThat(output()).containsExactly("RAISED DUPLICATE_SALE@e2");
    }

    @Test
    void aQuietStreamIsJudgedAfterTheOrderingDelayInProcessingTime() throws Exception {
        start(TracewatchConfig.load(null, List.of("detection.max_judge_delay_ms=2000")).detection());
        harness.setProcessingTime(1_000);
        send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24));
        send(Scan.of("e2", SELL, "03-02 10:00", "PH-1"));
        harness.setProcessingTime(2_999);
        assertThat(output()).isEmpty();

        harness.setProcessingTime(3_000);
        assertThat(output()).containsExactly("RAISED DUPLICATE_SALE@e2");
        assertThat(harness.numProcessingTimeTimers()).isZero();

        // judged past it already, so an earlier upload now counts as late and is merged at once
        send(Scan.of("e0", RETURN, "03-01 12:00", "PH-1"));
        assertThat(output()).containsExactly("RAISED DUPLICATE_SALE@e2", "RETRACTED DUPLICATE_SALE@e2");
    }

    @Test
    void eventsArrivingOutOfOrderWithinTheDelayAreJudgedInEventTimeOrder() throws Exception {
        start();
        // the RECEIVE that fills the gap arrives after the sale it precedes, but before the watermark
        send(Scan.of("e2", SELL, "03-02 10:00", "PH-1"));
        send(Scan.of("e0", SHIP, "03-01 08:00", "DS-1").to("PH-2"));
        ScanEvent last = send(Scan.of("e1", RECEIVE, "03-01 10:00", "PH-1").to("DS-1"));
        harness.processWatermark(last.getEventTime().toEpochMilli() + 86_400_000L);
        assertThat(output()).containsExactly("RAISED IMPOSSIBLE_ROUTE@e1");
    }

    @Test
    void aLateRefundRetractsTheDuplicateItShowsToBeWrong() throws Exception {
        start();
        send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).txn("T1"));
        ScanEvent resale = send(Scan.of("e3", SELL, "03-03 10:00", "PH-1").txn("T2"));
        watermarkPast(resale);
        assertThat(output()).containsExactly("RAISED DUPLICATE_SALE@e3");

        send(Scan.of("e2", RETURN, "03-02 10:00", "PH-1"));
        List<Alert> alerts = harness.extractOutputValues();
        assertThat(output()).containsExactly("RAISED DUPLICATE_SALE@e3", "RETRACTED DUPLICATE_SALE@e3");
        assertThat(alerts.get(1).getAlertId()).isEqualTo(alerts.get(0).getAlertId());
        assertThat(alerts.get(1).getExplanation()).contains("e2");
    }

    @Test
    void aLateUploadThatRevealsAnAnomalyRaisesItOnTheLaterTrigger() throws Exception {
        start();
        ScanEvent judged = send(Scan.of("e2", SELL, "03-05 10:00", "PH-1").pack(24));
        watermarkPast(judged);
        assertThat(output()).isEmpty();

        send(Scan.of("e1", SELL, "03-04 10:00", "PH-1"));
        assertThat(output()).containsExactly("RAISED DUPLICATE_SALE@e2");
    }

    @Test
    void aRetractedAlertIsRaisedAgainWhenAnotherLateEventRestoresTheFinding() throws Exception {
        start();
        send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).txn("T1"));
        watermarkPast(send(Scan.of("e4", SELL, "03-04 10:00", "PH-1").txn("T2")));
        send(Scan.of("e2", RETURN, "03-02 10:00", "PH-1"));
        send(Scan.of("e3", SELL, "03-03 10:00", "PH-1").txn("T3"));
        assertThat(output()).containsExactly(
                "RAISED DUPLICATE_SALE@e4", "RETRACTED DUPLICATE_SALE@e4", "RAISED DUPLICATE_SALE@e4");
    }

    @Test
    void aReuploadIsDroppedAndAConflictingCopyGoesToTheDeadLetterOutput() throws Exception {
        start();
        send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).qty(10));
        send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).qty(10));
        send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).qty(20));
        watermarkPast(send(Scan.of("e2", SELL, "03-02 10:00", "PH-1").qty(12)));

        assertThat(output()).isEmpty();
        List<DeadLetter> deadLetters = deadLetters();
        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.getReason()).startsWith("conflicting duplicate");
            assertThat(letter.getPosition()).isEqualTo(3);
            assertThat(letter.getRaw()).contains("\"quantity\":20");
        });
    }

    @Test
    void copiesThatDifferOnlyInAFieldOutsideTheContractStillConflict() throws Exception {
        start();
        String line = "{\"event_id\":\"e1\",\"code\":\"" + Scan.CODE + "\",\"event_type\":\"SELL\","
                + "\"event_time\":\"2026-03-01T10:00:00+08:00\",\"party_id\":\"PH-1\",\"party_type\":\"PHARMACY\"";
        for (String copy : List.of(line + "}", line + "}", line + ",\"uploaded_by\":\"gateway-2\"}")) {
            Ingested record = Decoding.json(copy, ++arrivals);
            harness.processElement(new StreamRecord<>(record, record.getEvent().getEventTime().toEpochMilli()));
        }
        harness.processWatermark(Long.MAX_VALUE);
        assertThat(deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.getReason()).startsWith("conflicting duplicate");
            assertThat(letter.getPosition()).isEqualTo(3);
        });
    }

    @Test
    void stateAndTimersAreClearedOnceTheRetentionHasPassed() throws Exception {
        start(TracewatchConfig.load(null, List.of(
                "detection.retention_after_last_event_days=10", "detection.retention_after_expiry_days=0")).detection());
        ScanEvent sale = send(Scan.of("e1", SELL, "03-01 10:00", "PH-1"));
        assertThat(ShuffledExampleRun.keyedEntries(harness)).as("waiting in the arrival buffer").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();

        watermarkPast(sale);
        assertThat(ShuffledExampleRun.keyedEntries(harness)).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).as("the cleanup timer").isEqualTo(1);

        harness.processWatermark(sale.getEventTime().toEpochMilli() + 10 * 86_400_000L);
        assertThat(ShuffledExampleRun.keyedEntries(harness)).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aScanStampedYearsAheadIsJudgedButMovesNeitherTheHorizonNorTheRetentionPastTheSkewBound() throws Exception {
        DetectionConfig config = TracewatchConfig.load(null, List.of("detection.max_judge_delay_ms=1000")).detection();
        start(config);
        long now = System.currentTimeMillis();
        send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24));
        send(Scan.of("e2", SELL, "2031-03-01T10:00:00+08:00", "PH-2"));
        harness.setProcessingTime(1001);
        assertThat(output()).containsExactly("RAISED DUPLICATE_SALE@e2", "RAISED IMPOSSIBLE_ROUTE@e2");

        // stamped after the bound: it waits to be judged like any upload, rather than counting as late
        send(Scan.of("e3", SELL, "2030-03-01T10:00:00+08:00", "PH-1"));
        assertThat(output()).hasSize(2);

        long retention = config.maxFutureSkewMs() + config.retentionAfterLastEventDays() * 86_400_000L;
        harness.processWatermark(now + retention + 3_600_000L);
        assertThat(ShuffledExampleRun.keyedEntries(harness)).as("state kept past the skew bound").isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void anExpiryOfTheYear9999KeepsTheCodeOnlyUntilTheSkewBoundPlusTheRetention() throws Exception {
        start(TracewatchConfig.load(null, List.of(
                "detection.retention_after_last_event_days=1", "detection.retention_after_expiry_days=30")).detection());
        long now = System.currentTimeMillis();
        send(Scan.of("e1", RECEIVE, "03-01 10:00", "PH-1").to("DS-1").expiry("9999-12-31"));
        long bound = now + TracewatchConfig.defaults().detection().maxFutureSkewMs();

        harness.processWatermark(bound + 30 * 86_400_000L);
        assertThat(ShuffledExampleRun.keyedEntries(harness)).isEqualTo(1);
        harness.processWatermark(bound + 32 * 86_400_000L);
        assertThat(ShuffledExampleRun.keyedEntries(harness)).isZero();
    }

    @Test
    void bufferedScansHoldNoTimerAndTheirCodeIsWrittenOnceWhenJudged() throws Exception {
        start();
        ScanEvent last = null;
        for (int day = 1; day <= 9; day++) {
            last = send(Scan.of("e" + day, RECEIVE, "03-0" + day + " 10:00", "PH-1").to("DS-1"));
        }
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).as("no wait per code: the subtask keeps one").isZero();
        assertThat(ShuffledExampleRun.keyedEntries(harness)).isZero();

        watermarkPast(last);
        assertThat(ShuffledExampleRun.keyedEntries(harness)).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).as("the cleanup timer").isEqualTo(1);
    }

    @Test
    void withoutTheBufferEachCodeHoldsOneJudgingTimerAndOneCleanupTimer() throws Exception {
        start(TracewatchConfig.load(null, List.of("detection.mini_batch_max_scans=0")).detection());
        for (int day = 1; day <= 9; day++) {
            send(Scan.of("e" + day, RECEIVE, "03-0" + day + " 10:00", "PH-1").to("DS-1"));
        }
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
    }

    @Test
    void scansPastTheBufferCapacityAreMergedAtOnceAndJudgedTheSame() throws Exception {
        start(TracewatchConfig.load(null, List.of("detection.mini_batch_max_scans=1")).detection());
        send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24));
        ScanEvent second = send(Scan.of("e2", SELL, "03-02 10:00", "PH-1"));
        assertThat(ShuffledExampleRun.keyedEntries(harness)).as("the code's scans, merged into its state to make room").isEqualTo(1);
        assertThat(output()).isEmpty();

        watermarkPast(second);
        assertThat(output()).containsExactly("RAISED DUPLICATE_SALE@e2");
    }

    @Test
    void aCheckpointTakenBetweenArrivalAndJudgingKeepsTheBufferedScans() throws Exception {
        start();
        send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24));
        ScanEvent second = send(Scan.of("e2", SELL, "03-02 10:00", "PH-1"));
        restartFromCheckpoint();
        watermarkPast(second);
        assertThat(output()).containsExactly("RAISED DUPLICATE_SALE@e2");
    }

    @Test
    void aCodeJudgedInPartWaitsForItsLaterEventsWithoutATimerAcrossACheckpoint() throws Exception {
        start();
        ScanEvent first = send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24));
        ScanEvent second = send(Scan.of("e2", SELL, "03-02 10:00", "PH-1"));
        watermarkPast(first);
        assertThat(ShuffledExampleRun.keyedEntries(harness)).isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).as("the cleanup timer only").isEqualTo(1);
        assertThat(harness.numProcessingTimeTimers()).isZero();
        restartFromCheckpoint();
        harness.processWatermark(second.getEventTime().toEpochMilli() - 1);
        assertThat(output()).isEmpty();
        watermarkPast(second);
        assertThat(output()).containsExactly("RAISED DUPLICATE_SALE@e2");
    }

    @Test
    void afterRescalingEachSubtaskJudgesTheBufferedScansOfItsOwnCodes() throws Exception {
        start();
        List<String> codes = List.of("86000000000000000011", "86000000000000000012", "86000000000000000013", "86000000000000000014");
        for (String code : codes) {
            send(Scan.of(code + "a", SELL, "03-01 10:00", "PH-1").code(code).pack(24));
            send(Scan.of(code + "b", SELL, "03-02 10:00", "PH-1").code(code));
        }
        OperatorSubtaskState checkpoint = harness.snapshot(1, 1);
        harness.close();
        harness = null;

        List<String> raised = new java.util.ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(checkpoint, 128, 1, 2, subtask);
            try (DetectorOperatorHarness restored = new DetectorOperatorHarness(
                    new CodeDetector(TracewatchConfig.defaults().detection(), io.tracewatch.cases.CasePeriod.MONTH), 128, 2, subtask)) {
                restored.initializeState(part);
                restored.open();
                restored.processBroadcastWatermark(Long.MAX_VALUE);
                restored.processWatermark(Long.MAX_VALUE - 1);
                restored.extractOutputValues().forEach(alert -> raised.add(alert.getTriggerEventId()));
            }
        }
        assertThat(raised).containsExactlyInAnyOrder(codes.stream().map(code -> code + "b").toArray(String[]::new));
    }

    @Test
    void theHistoryIsCappedKeepingTheEarliestEventsAndRefusingTheRest() throws Exception {
        start(TracewatchConfig.load(null, List.of("detection.max_events_per_code=3")).detection());
        send(Scan.of("e3", RECEIVE, "03-03 10:00", "PH-1").to("DS-1"));
        send(Scan.of("e4", RECEIVE, "03-04 10:00", "PH-1").to("DS-1"));
        send(Scan.of("e5", RECEIVE, "03-05 10:00", "PH-1").to("DS-1"));
        send(Scan.of("e6", RECEIVE, "03-06 10:00", "PH-1").to("DS-1"));
        watermarkPast(send(Scan.of("e1", RECEIVE, "03-01 10:00", "PH-1").to("DS-1")));

        assertThat(deadLetters()).extracting(DeadLetter::getEventId).containsExactly("e6", "e5");
        assertThat(deadLetters()).allSatisfy(letter -> assertThat(letter.getReason()).startsWith("history full"));
    }

    @Test
    void anEvictedTriggerHasItsAlertRetracted() throws Exception {
        start(TracewatchConfig.load(null, List.of("detection.max_events_per_code=2")).detection());
        send(Scan.of("e2", SELL, "03-02 10:00", "PH-1").pack(24));
        watermarkPast(send(Scan.of("e3", SELL, "03-03 10:00", "PH-1")));
        assertThat(output()).containsExactly("RAISED DUPLICATE_SALE@e3");

        send(Scan.of("e1", RECEIVE, "03-01 10:00", "PH-1").to("DS-1"));
        assertThat(output()).containsExactly("RAISED DUPLICATE_SALE@e3", "RETRACTED DUPLICATE_SALE@e3");
        assertThat(deadLetters()).extracting(DeadLetter::getEventId).containsExactly("e3");
    }

    @Test
    void alertsCarryEvidenceWithoutPatientReferences() throws Exception {
        start();
        send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).patient("pt-1"));
        watermarkPast(send(Scan.of("e2", SELL, "03-02 10:00", "PH-2").patient("pt-2")));

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).isNotEmpty().allSatisfy(alert -> {
            assertThat(alert.getStatus()).isEqualTo(AlertStatus.RAISED);
            assertThat(alert.getEvidence()).extracting(ScanEvent::getEventId).containsExactly("e1", "e2");
            assertThat(alert.getEvidence()).allSatisfy(e -> assertThat(e.getPatientRef()).isNull());
            assertThat(alert.getExplanation()).contains("PH-2", "PH-1", "2026-03-02");
        });
    }

    @Test
    void productAndBatchComeFromTheEvidenceWhenTheTriggerLacksThem() throws Exception {
        start();
        send(Scan.of("e1", SELL, "03-01 10:00", "PH-1").pack(24).qty(20).txn("T1").batch("8612345", "AMX2602"));
        send(Scan.of("e2", SELL, "03-02 10:00", "PH-1").qty(4).txn("T2").batch("8612345", "AMX2602"));
        watermarkPast(send(Scan.of("e3", io.tracewatch.model.EventType.SETTLE, "03-02 10:01", "PH-1").qty(6).txn("T2")));

        assertThat(harness.extractOutputValues()).singleElement().satisfies(alert -> {
            assertThat(alert.getTriggerEventId()).isEqualTo("e3");
            assertThat(alert.getProductCode()).isEqualTo("8612345");
            assertThat(alert.getBatch()).isEqualTo("AMX2602");
        });
    }

    private List<DeadLetter> deadLetters() {
        return harness.getSideOutput(DeadLetters.TAG).stream().map(StreamRecord::getValue).toList();
    }
}
