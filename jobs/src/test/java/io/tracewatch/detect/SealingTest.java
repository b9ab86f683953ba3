package io.tracewatch.detect;

import static io.tracewatch.model.EventType.COMMISSION;
import static io.tracewatch.model.EventType.RECEIVE;
import static io.tracewatch.model.EventType.RETURN;
import static io.tracewatch.model.EventType.SELL;
import static io.tracewatch.model.EventType.SHIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.alert.AlertFactory;
import io.tracewatch.cases.CasePeriod;
import io.tracewatch.detect.DetectorOutput.Count;
import io.tracewatch.io.CodeStateSerializer;
import io.tracewatch.job.TracewatchConfig;
import io.tracewatch.model.Alert;
import io.tracewatch.model.CustodyEvent;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.Verification;
import io.tracewatch.model.VerifyRequest;
import io.tracewatch.model.internal.BufferedScan;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.model.internal.RaisedAlert;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.Reference;
import io.tracewatch.testing.Decoding;
import io.tracewatch.testing.Scan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Sealed histories (contract v1.2, "Years of codes"), one sentence of the section at a time, with no Flink. */
class SealingTest {
    private static final long SEAL_MS = Duration.ofDays(10).toMillis();
    private static final DetectionConfig CONFIG = TracewatchConfig.load(null, List.of("detection.seal_after_days=10")).detection();
    private static final Reference NONE = Reference.none(CONFIG.ruleSettings());

    private final RecordedOutput out = new RecordedOutput();
    private final Sealing sealing = new Sealing(CONFIG, HistoryWalk.standard());
    private final CodeHistory histories = new CodeHistory(CONFIG,
            new AlertJudge(HistoryWalk.standard(), new AlertFactory(HistoryWalk.standard().rules(), CONFIG.maxAlertBytes()), CasePeriod.MONTH, out),
            sealing, out);
    private final CodeState state = CodeStateSerializer.INSTANCE.createInstance();
    private long position;

    /** Merges the scan with the watermark just past it: judged at once. */
    private Ingested judged(Scan scan) throws Exception {
        Ingested ingested = Decoding.event(scan.build(), ++position);
        return arrive(ingested, ingested.getEvent().getEventTime().toEpochMilli() + 1);
    }

    private Ingested arrive(Ingested scan, long watermarkMs) throws Exception {
        histories.merge(state, new BufferedScan(scan, watermarkMs, 0L, 0L), true, () -> NONE);
        return scan;
    }

    /** Merges the scan once the watermark has passed {@code sealedAfter} by the seal's delay, and the scan: judged at once. */
    private Ingested afterSealOf(String sealedAfter, Scan scan) throws Exception {
        Ingested ingested = Decoding.event(scan.build(), ++position);
        long sealed = Scan.of("x", SELL, sealedAfter, "PH-1").build().getEventTime().toEpochMilli() + SEAL_MS;
        return arrive(ingested, Math.max(sealed, ingested.getEvent().getEventTime().toEpochMilli() + 1));
    }

    private List<String> kept() {
        return state.getSeal().getKept().stream().map(ScanEvent::getEventId).toList();
    }

    private Alert alert(String line) {
        return out.alerts.stream().filter(a -> (a.getStatus() + " " + a.getRule() + "@" + a.getTriggerEventId()).equals(line)).findFirst()
                .orElseThrow(() -> new AssertionError("no alert " + line + " in " + out.alertLines()));
    }

    private void chainToPharmacy() throws Exception {
        judged(Scan.of("e1", COMMISSION, "01-01 10:00", "MF-1").batch("P-1", "B-1"));
        judged(Scan.of("e2", SHIP, "01-02 10:00", "MF-1").to("DS-1"));
        judged(Scan.of("e3", RECEIVE, "01-03 10:00", "DS-1").to("MF-1"));
        judged(Scan.of("e4", SHIP, "01-04 10:00", "DS-1").to("PH-1").at(39.13, 117.20));
        judged(Scan.of("e5", RECEIVE, "01-05 10:00", "PH-1").to("DS-1"));
        judged(Scan.of("e6", SELL, "01-06 10:00", "PH-1"));
    }

    @Test
    void aSealKeepsTheEventsTheWalkRefersToAndAFingerprintOfTheOthers() throws Exception {
        chainToPharmacy();
        assertThat(sealing.due(state, Scan.of("x", SELL, "01-16 09:59", "PH-1").build().getEventTime().toEpochMilli())).isFalse();

        afterSealOf("01-06 10:00", Scan.of("e7", RECEIVE, "03-01 10:00", "PH-1").to("DS-1"));

        assertThat(state.getSeal()).isNotNull();
        assertThat(kept()).as("product and batch (e1), last located (e4), holder and consumption (e6)").containsExactly("e1", "e4", "e6");
        assertThat(state.getSeal().getOthers()).hasSize(3);
        assertThat(state.getSeal().getPack().getUpstream()).containsExactly("MF-1", "DS-1", "PH-1");
        assertThat(state.getHistory()).extracting(ScanEvent::getEventId).containsExactly("e7");
    }

    @Test
    void aSealedEventUploadedAgainIsDroppedAndAConflictingCopyRefused() throws Exception {
        chainToPharmacy();
        Ingested shipped = Decoding.event(Scan.of("e2", SHIP, "01-02 10:00", "MF-1").to("DS-1").build(), ++position);
        afterSealOf("01-06 10:00", Scan.of("e7", RECEIVE, "03-01 10:00", "PH-1").to("DS-1"));
        arrive(shipped, Long.MAX_VALUE - 1);
        Ingested conflicting = Decoding.event(Scan.of("e2", SHIP, "01-02 10:00", "MF-1").to("DS-9").build(), ++position);
        arrive(conflicting, Long.MAX_VALUE - 1);
        Ingested keptAgain = Decoding.event(Scan.of("e6", SELL, "01-06 10:00", "PH-1").build(), ++position);
        arrive(keptAgain, Long.MAX_VALUE - 1);

        assertThat(out.counts).containsEntry(Count.REUPLOAD, 2).containsEntry(Count.CONFLICTING_DUPLICATE, 1);
        assertThat(out.deadLetters).singleElement().satisfies(d -> assertThat(d.getReason()).startsWith("conflicting duplicate"));
        assertThat(Sealing.sealedEvents(state) + state.getHistory().size()).as("nothing added").isEqualTo(7);
    }

    @Test
    void anEventAtOrAfterTheSealsNewestIsJudgedAsWithTheWholeHistory() throws Exception {
        chainToPharmacy();
        afterSealOf("01-06 10:00", Scan.of("e7", SELL, "02-01 10:00", "PH-2"));

        Alert duplicate = alert("RAISED DUPLICATE_SALE@e7");
        assertThat(duplicate.getEvidence()).extracting(ScanEvent::getEventId).containsExactly("e6", "e7");
        assertThat(duplicate.getLateBeyondSeal()).isFalse();
        assertThat(alert("RAISED IMPOSSIBLE_ROUTE@e7").getEvidence()).extracting(ScanEvent::getEventId).containsExactly("e6", "e7");
        assertThat(out.counts).doesNotContainKey(Count.LATE_BEYOND_SEAL);
    }

    @Test
    void anEventBeforeTheSealsNewestIsJudgedAsIfRightAfterItAndRetractsNothingStandingAtTheSeal() throws Exception {
        judged(Scan.of("e1", RECEIVE, "01-01 10:00", "PH-1").to("DS-1").at(39.13, 117.20));
        judged(Scan.of("e2", SELL, "01-02 10:00", "PH-1"));
        judged(Scan.of("e3", SELL, "01-03 10:00", "PH-2"));
        assertThat(out.alertLines()).contains("RAISED DUPLICATE_SALE@e3");
        out.alerts.clear();

        // would undo PH-2's sale, and so the duplicate, had it been placed: too late for that
        afterSealOf("01-03 10:00", Scan.of("late-return", RETURN, "01-02 20:00", "PH-2"));
        // Urumqi, an hour after the receipt in Tianjin: no travel part for an event not placed
        afterSealOf("01-03 10:00", Scan.of("late-sale", SELL, "01-01 11:00", "PH-2").at(43.83, 87.62));

        assertThat(out.alertLines()).doesNotContain("RETRACTED DUPLICATE_SALE@e3").contains("RAISED DUPLICATE_SALE@late-sale")
                .noneMatch(line -> line.contains("IMPOSSIBLE_ROUTE"));
        assertThat(alert("RAISED DUPLICATE_SALE@late-sale").getLateBeyondSeal()).isTrue();
        assertThat(out.counts).containsEntry(Count.LATE_BEYOND_SEAL, 2);
        assertThat(Sealing.standing(state)).extracting(a -> a.getRule() + "@" + a.getTriggerEventId())
                .contains("DUPLICATE_SALE@e3", "DUPLICATE_SALE@late-sale");
    }

    @Test
    void aSealedCodeHoldsTheSealAndItsNewEventsAndIsSealedAgainLater() throws Exception {
        chainToPharmacy();
        afterSealOf("01-06 10:00", Scan.of("e7", SELL, "02-01 10:00", "PH-2"));
        afterSealOf("02-01 10:00", Scan.of("e8", SELL, "03-01 10:00", "PH-3"));

        assertThat(kept()).as("the sales, now evidence of later duplicates").contains("e6", "e7");
        assertThat(state.getSeal().getRaised()).extracting(a -> a.getRule() + "@" + a.getTriggerEventId())
                .contains("DUPLICATE_SALE@e7");
        assertThat(alert("RAISED DUPLICATE_SALE@e8").getEvidence()).extracting(ScanEvent::getEventId).containsExactly("e6", "e7", "e8");
    }

    @Test
    void aVerificationOfASealedCodeSaysSoWithTheKeptEventsAndTheRecordedHolders() throws Exception {
        chainToPharmacy();
        afterSealOf("01-06 10:00", Scan.of("e7", SELL, "02-01 10:00", "PH-2"));

        Verification answer = sealing.answer(new VerifyRequest("r1", Scan.CODE, "insurer", null), state, Instant.EPOCH);

        assertThat(answer.getSealed()).isTrue();
        assertThat(answer.getKnown()).isTrue();
        assertThat(answer.getCustody()).extracting(CustodyEvent::getEventId).containsExactly("e1", "e4", "e6", "e7");
        assertThat(answer.getUpstream()).containsExactly("MF-1", "DS-1", "PH-1");
        assertThat(answer.getStandingAlerts()).extracting(a -> a.getRule()).contains("DUPLICATE_SALE");
    }

    @Test
    void aCodeRestoredWithoutItsEndOfRetentionGetsItBeforeItsHistoryIsSealed() throws Exception {
        chainToPharmacy();
        // as state restored from format 2 holds it: worked out from the history on first use
        state.setRetainUntil(Long.MIN_VALUE);
        long lastSealed = Scan.of("e6", SELL, "01-06 10:00", "PH-1").build().getEventTime().toEpochMilli();
        // sealed as its state is stored, with no new scan to work the retention out from
        histories.sealIfDue(state, lastSealed + SEAL_MS, true, () -> NONE);

        assertThat(state.getSeal()).isNotNull();
        assertThat(state.getRetainUntil()).isGreaterThanOrEqualTo(lastSealed + Duration.ofDays(CONFIG.retentionAfterLastEventDays()).toMillis());
    }

    @Test
    void sealingOffNeverSeals() throws Exception {
        Sealing off = new Sealing(TracewatchConfig.load(null, List.of("detection.seal_after_days=0")).detection(), HistoryWalk.standard());
        chainToPharmacy();
        assertThat(off.due(state, Long.MAX_VALUE - 1)).isFalse();
        assertThat(off.dueAtMs(state)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aSealedStateSurvivesItsSerializer() throws Exception {
        chainToPharmacy();
        afterSealOf("01-06 10:00", Scan.of("e7", SELL, "02-01 10:00", "PH-2"));
        DataOutputSerializer bytes = new DataOutputSerializer(1024);
        CodeStateSerializer.INSTANCE.serialize(state, bytes);
        CodeState restored = CodeStateSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes.getCopyOfBuffer()));
        DataOutputSerializer again = new DataOutputSerializer(1024);
        CodeStateSerializer.INSTANCE.serialize(restored, again);

        assertThat(again.getCopyOfBuffer()).isEqualTo(bytes.getCopyOfBuffer());
        assertThat(restored.getSeal().getPack()).isEqualTo(state.getSeal().getPack());
        assertThat(restored.getSeal().getKept()).isEqualTo(state.getSeal().getKept());
        assertThat(restored.getSeal().getOthers()).isEqualTo(state.getSeal().getOthers());
    }

    /** Every code of the savepoint fixture's input (contract examples, generated traffic with every anomaly), sealed: its bytes read back as the same state. */
    @Test
    void everySealOfAVariedInputReadsBackAsTheSameState() throws Exception {
        java.nio.file.Path scans = java.nio.file.Paths.get(getClass().getResource("/savepoints/code-state-v5/scans.jsonl.gz").toURI());
        int sealed = 0;
        for (List<ScanEvent> history : SavepointFixtures.histories(scans).values()) {
            CodeState code = CodeStateSerializer.INSTANCE.createInstance();
            for (ScanEvent event : history) {
                Ingested ingested = Decoding.event(event, ++position);
                histories.merge(code, new BufferedScan(ingested, event.getEventTime().toEpochMilli() + 1, 0L, 0L), true, () -> NONE);
            }
            sealing.seal(code, NONE);
            DataOutputSerializer bytes = new DataOutputSerializer(1024);
            CodeStateSerializer.INSTANCE.serialize(code, bytes);
            DataInputDeserializer in = new DataInputDeserializer(bytes.getCopyOfBuffer());
            // a seal's standing alerts are not judged again: their fingerprint is not kept
            code.getSeal().getRaised().replaceAll(alert -> new RaisedAlert(alert.getRule(), alert.getTriggerEventId(), 0L));
            assertThat(CodeStateSerializer.INSTANCE.deserialize(in)).as(history.get(0).getCode()).isEqualTo(code);
            assertThat(in.available()).as("bytes left").isZero();
            sealed++;
        }
        assertThat(sealed).isGreaterThan(100);
    }
}
