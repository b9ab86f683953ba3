package io.tracewatch.detect;

import io.tracewatch.detect.DetectorOutput.Count;
import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.io.codec.Times;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.BufferedScan;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.Reference;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One code's history, with no Flink: a scan merged into it as of its arrival (re-uploads dropped,
 * conflicting copies refused, a full history bounded), judged at once when it is late, and how
 * long the code is kept. Times of events are in microseconds, as the contract's event_time; the
 * watermark and the wall clock are in milliseconds.
 */
public final class CodeHistory {
    private static final Logger LOG = LoggerFactory.getLogger(CodeHistory.class);
    private static final long DAY_MS = 86_400_000L;

    /** The register and settings in force, read only when a judgement needs them. */
    @FunctionalInterface
    public interface ReferenceLookup {
        Reference get() throws Exception;
    }

    private final DetectionConfig config;
    private final AlertJudge judge;
    private final Sealing sealing;
    private final DetectorOutput out;

    public CodeHistory(DetectionConfig config, AlertJudge judge, Sealing sealing, DetectorOutput out) {
        this.config = config;
        this.judge = judge;
        this.sealing = sealing;
        this.out = out;
    }

    /**
     * Merges one scan into its code's history as of its arrival: a re-upload is dropped, a
     * conflicting copy refused; a late event (one the code was judged past) is judged at once. A
     * code due to be sealed is sealed first, so what the scan meets does not depend on whether the
     * seal's timer fired before it.
     *
     * @param ready whether scans may be judged: with reference data, only once it is in
     * @return whether the code's judgement changed, i.e. the scan was late or evicted a judged event
     */
    public boolean merge(CodeState state, BufferedScan arrival, boolean ready, ReferenceLookup reference) throws Exception {
        Ingested scan = arrival.getScan();
        ScanEvent event = scan.getEvent();
        sealIfDue(state, arrival.getWatermark(), ready, reference);
        List<ScanEvent> history = state.getHistory();
        Boolean same = sameAsEarlier(state, event.getEventId(), scan.getContent());
        if (same != null) {
            // equal JSON values: a re-upload; anything else under the same event_id is a conflict
            if (same) {
                out.count(Count.REUPLOAD);
            } else {
                out.count(Count.CONFLICTING_DUPLICATE);
                out.deadLetter(DeadLetters.refused(
                        "conflicting duplicate (event_id " + event.getEventId() + " was accepted earlier with different content)", scan));
            }
            return false;
        }
        // no rule reads it, so the detector keeps no patient reference, not even a pseudonym
        ScanEvent kept = event.getPatientRef() == null ? event : ScanEvent.newBuilder(event).setPatientRef(null).build();
        int position = insertionPoint(history, kept);
        history.add(position, kept);
        state.getContents().add(position, scan.getContent());
        ScanEvent dropped = null;
        if (history.size() + Sealing.sealedEvents(state) > config.maxEventsPerCode()) {
            dropped = history.remove(history.size() - 1);
            state.getContents().remove(history.size());
            refuseOverflow(state, dropped, scan);
        }
        long walked = walkedHorizon(state, arrival.getWatermark());
        long eventMicros = Times.epochMicros(kept.getEventTime());
        boolean accepted = dropped != kept;
        boolean late = accepted && ready && eventMicros <= lateHorizon(state, arrival.getWatermark(), arrival.getWallClockMs());
        boolean droppedJudged = dropped != null && accepted && ready && Times.epochMicros(dropped.getEventTime()) <= walked;
        if (accepted) {
            retainFor(state, kept, arrival.getWallClockMs());
        }
        if (late) {
            out.count(Count.LATE_EVENT);
        }
        if (accepted && Sealing.lateBeyondSeal(state, kept)) {
            out.count(Count.LATE_BEYOND_SEAL);
        }
        if (late || droppedJudged) {
            judge.judge(state, walked, late ? kept : null, dropped, reference.get());
            return true;
        }
        if (accepted && (state.getPendingFrom() == null || state.getPendingFrom() > eventMicros)) {
            state.setPendingFrom(eventMicros);
        }
        return false;
    }

    /** Seals the code if the watermark has passed its newest event by the seal's delay, once the reference data is in. */
    public void sealIfDue(CodeState state, long watermarkMs, boolean ready, ReferenceLookup reference) throws Exception {
        if (ready && sealing.due(state, watermarkMs)) {
            // a code restored from a format without its end of retention gets it from its history, while it has one
            retainedUntil(state, System.currentTimeMillis());
            sealing.seal(state, reference.get());
        }
    }

    /**
     * When the code's one seal-and-retention timer is due (epoch millis): at its seal or the end of
     * its retention, whichever is first. A seal the watermark has passed waits for what holds it up
     * (a pending event, the reference data), not for a timer, which would fire at once, forever.
     */
    public long nextTimerAt(CodeState state, long watermarkMs, long nowMs) {
        long sealAt = sealing.dueAtMs(state);
        return Math.min(sealAt > watermarkMs ? sealAt : Long.MAX_VALUE, retainedUntil(state, nowMs));
    }

    private void refuseOverflow(CodeState state, ScanEvent dropped, Ingested scan) {
        out.count(Count.HISTORY_OVERFLOW);
        if (state.getOverflowed() == 0) {
            LOG.warn("History of code {} reached {} events; events past that are sent to the dead-letter output",
                    dropped.getCode(), config.maxEventsPerCode());
        }
        state.setOverflowed(state.getOverflowed() + 1);
        String reason = "history full: code already has " + config.maxEventsPerCode() + " earlier events";
        if (dropped == scan.getEvent()) {
            out.deadLetter(DeadLetters.refused(reason, scan));
        } else {
            out.deadLetter(DeadLetters.evicted(reason, dropped));
        }
    }

    /** Events with an event time (in microseconds) at or before this have been or are being judged. */
    public static long judgedHorizon(long watermarkMs) {
        if (watermarkMs == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        if (watermarkMs >= Long.MAX_VALUE / 1000) {
            return Long.MAX_VALUE;
        }
        return watermarkMs * 1000 + 999;
    }

    /** Events up to this (microseconds) are judged by every walk: what the watermark passed, and what was judged before. */
    public static long walkedHorizon(CodeState state, long watermarkMs) {
        return Math.max(state.getJudgedThrough(), judgedHorizon(watermarkMs));
    }

    /**
     * An arriving event at or before this (microseconds) is late: it is merged and judged at once.
     * What the processing-time wait judged counts only up to the wall clock plus
     * {@code detection.max_future_skew_ms}, so a scan stamped years ahead cannot make every later
     * upload of its code late (contract v1.1).
     */
    private long lateHorizon(CodeState state, long watermarkMs, long nowMs) {
        long bound = judgedHorizon(Math.addExact(nowMs, config.maxFutureSkewMs()));
        return Math.max(judgedHorizon(watermarkMs), Math.min(state.getJudgedThrough(), bound));
    }

    /**
     * Moves the end of retention for an arriving event: its last-event and expiry retention, each
     * from a time capped at the wall clock plus {@code detection.max_future_skew_ms}, so that a scan
     * stamped years ahead or an expiry of 9999-12-31 cannot keep a code forever (contract v1.1).
     */
    private void retainFor(CodeState state, ScanEvent event, long nowMs) {
        long bound = nowMs + config.maxFutureSkewMs();
        long due = Math.min(event.getEventTime().toEpochMilli(), bound) + config.retentionAfterLastEventDays() * DAY_MS;
        if (event.getExpiryDate() != null) {
            long expiry = Math.min(Times.epochMillis(event.getExpiryDate()), bound);
            due = Math.max(due, expiry + (1 + config.retentionAfterExpiryDays()) * DAY_MS);
        }
        state.setRetainUntil(Math.max(retainedUntil(state, nowMs), due));
    }

    /** The end of retention (epoch millis); worked out once from the whole history for state restored from a format that did not keep it. */
    public long retainedUntil(CodeState state, long nowMs) {
        if (state.getRetainUntil() == Long.MIN_VALUE && !state.getHistory().isEmpty()) {
            state.setRetainUntil(Long.MIN_VALUE + 1);
            for (ScanEvent event : state.getHistory()) {
                retainFor(state, event, nowMs);
            }
        }
        return state.getRetainUntil();
    }

    /** Whether the code's event with this event_id, in its history or its seal, has this content; null when it has none. */
    private static Boolean sameAsEarlier(CodeState state, String eventId, long content) {
        int known = indexOf(state.getHistory(), eventId);
        return known >= 0 ? (Boolean) (state.getContents().get(known) == content) : Sealing.sameAsSealed(state, eventId, content);
    }

    static int indexOf(List<ScanEvent> history, String eventId) {
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).getEventId().equals(eventId)) {
                return i;
            }
        }
        return -1;
    }

    private static int insertionPoint(List<ScanEvent> history, ScanEvent event) {
        int i = history.size();
        while (i > 0 && Events.EVENT_TIME_ORDER.compare(history.get(i - 1), event) > 0) {
            i--;
        }
        return i;
    }
}
