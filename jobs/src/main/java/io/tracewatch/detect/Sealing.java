package io.tracewatch.detect;

import io.tracewatch.insurance.Verifications;
import io.tracewatch.io.codec.Times;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.Verification;
import io.tracewatch.model.VerifyRequest;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.RaisedAlert;
import io.tracewatch.model.internal.SealedEvent;
import io.tracewatch.model.internal.SealedHistory;
import io.tracewatch.rules.Custody;
import io.tracewatch.rules.Events;
import io.tracewatch.rules.HistoryWalk;
import io.tracewatch.rules.PackState;
import io.tracewatch.rules.Reference;
import io.tracewatch.rules.Seals;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sealed histories (contract v1.2, "Years of codes"), with no Flink: once the watermark has passed
 * a code's newest event by {@code detection.seal_after_days}, its history is replaced by the walk's
 * state after that event, the events the state refers to, a fingerprint of every other event and
 * the alerts standing then. Later events walk on from the seal; one older than the seal's newest is
 * not placed in order ({@link io.tracewatch.rules.Judging#placed()}).
 */
public final class Sealing {
    private static final long DAY_MS = 86_400_000L;
    /** Bits of an event_id's hash a sealed event not kept whole is known by; its content fingerprint gets the rest of 64. */
    static final int ID_HASH_BITS = 40;
    static final long CONTENT_MASK = (1L << (Long.SIZE - ID_HASH_BITS)) - 1;

    private final long sealAfterMs;
    private final HistoryWalk walk;

    /** @param walk the walk the code is judged with, whose rules say whether a resale or destroyed pack has fired */
    public Sealing(DetectionConfig config, HistoryWalk walk) {
        this.sealAfterMs = config.sealAfterDays() * DAY_MS;
        this.walk = walk;
    }

    /**
     * When the code's events not yet sealed are due to be sealed, in event time (milliseconds): the
     * newest event plus {@code detection.seal_after_days}; Long.MAX_VALUE when sealing is off or
     * nothing is left to seal.
     */
    public long dueAtMs(CodeState state) {
        if (sealAfterMs == 0 || state.getHistory().isEmpty()) {
            return Long.MAX_VALUE;
        }
        long newestMs = Math.floorDiv(newestMicros(state), 1000);
        return newestMs > Long.MAX_VALUE - sealAfterMs ? Long.MAX_VALUE : newestMs + sealAfterMs;
    }

    /**
     * Whether the watermark has passed the code's newest event by the seal's delay, with every event
     * judged. The end of a bounded input, which passes every seal at once, seals nothing: the job
     * ends with the codes as they were.
     */
    public boolean due(CodeState state, long watermarkMs) {
        return state.getPendingFrom() == null && watermarkMs != Long.MIN_VALUE && watermarkMs != Long.MAX_VALUE
                && watermarkMs >= dueAtMs(state);
    }

    /** Seals the code: its history and standing alerts go into the seal, with those sealed before. */
    public void seal(CodeState state, Reference reference) {
        SealedHistory previous = state.getSeal();
        PackState end = walk.walk(startOf(state), placedFrom(state), state.getHistory(), reference).end();
        List<ScanEvent> kept = Seals.referenced(end);
        Map<String, Long> contents = new LinkedHashMap<>();
        List<ScanEvent> sealing = new ArrayList<>(state.getHistory());
        List<Long> sealingContents = new ArrayList<>(state.getContents());
        List<SealedEvent> others = new ArrayList<>();
        List<RaisedAlert> raised = new ArrayList<>();
        if (previous != null) {
            sealing.addAll(previous.getKept());
            sealingContents.addAll(previous.getKeptContents());
            others.addAll(previous.getOthers());
            raised.addAll(previous.getRaised());
        }
        for (int i = 0; i < sealing.size(); i++) {
            contents.put(sealing.get(i).getEventId(), sealingContents.get(i));
        }
        List<Long> keptContents = new ArrayList<>(kept.size());
        for (ScanEvent event : kept) {
            keptContents.add(contents.remove(event.getEventId()));
        }
        for (Map.Entry<String, Long> other : contents.entrySet()) {
            others.add(new SealedEvent(idHash(other.getKey()) >>> (Long.SIZE - ID_HASH_BITS), other.getValue() & CONTENT_MASK));
        }
        raised.addAll(state.getRaised());
        state.setSeal(new SealedHistory(newestMicros(state), kept, keptContents, others, raised, Seals.seal(end, kept)));
        state.getHistory().clear();
        state.getContents().clear();
        state.getRaised().clear();
        state.getLeads().clear();
    }

    /** The walk's state before the code's history: the seal's, or a new one. */
    public static PackState startOf(CodeState state) {
        SealedHistory seal = state.getSeal();
        return seal == null ? new PackState() : Seals.restore(seal.getPack(), seal.getKept());
    }

    /** The seal's newest event_time, before which an event is not placed in order; null for a code not sealed. */
    public static Instant placedFrom(CodeState state) {
        return state.getSeal() == null ? null : Instant.EPOCH.plus(state.getSeal().getNewest(), ChronoUnit.MICROS);
    }

    /** Whether {@code event} reached its code after the code was sealed with a newer event. */
    public static boolean lateBeyondSeal(CodeState state, ScanEvent event) {
        return state.getSeal() != null && Times.epochMicros(event.getEventTime()) < state.getSeal().getNewest();
    }

    /**
     * Whether a sealed event has this event_id and this content: true for a re-upload, false for a
     * conflicting copy, null when no sealed event has the event_id. An event not kept whole is
     * known by a 40-bit hash of its event_id and 24 bits of its content fingerprint, 8 bytes in all.
     */
    public static Boolean sameAsSealed(CodeState state, String eventId, long content) {
        SealedHistory seal = state.getSeal();
        if (seal == null) {
            return null;
        }
        for (int i = 0; i < seal.getKept().size(); i++) {
            if (seal.getKept().get(i).getEventId().equals(eventId)) {
                return seal.getKeptContents().get(i) == content;
            }
        }
        long hash = idHash(eventId) >>> (Long.SIZE - ID_HASH_BITS);
        for (SealedEvent other : seal.getOthers()) {
            if (other.getEventIdHash() == hash) {
                return other.getContent() == (content & CONTENT_MASK);
            }
        }
        return null;
    }

    /** Events the seal holds, kept whole or as fingerprints: they count towards {@code detection.max_events_per_code}. */
    public static int sealedEvents(CodeState state) {
        SealedHistory seal = state.getSeal();
        return seal == null ? 0 : seal.getKept().size() + seal.getOthers().size();
    }

    /**
     * The answer to a verification request from what the code holds: for a sealed code, the events
     * and upstream holders the seal kept, and {@code sealed: true}.
     *
     * @param state the code's state, or null when the code was never seen
     */
    public static Verification answer(VerifyRequest request, CodeState state, Instant now) {
        if (state == null) {
            return Verifications.answer(request, List.of(), List.of(), List.of(), false, now);
        }
        List<String> upstream = Custody.upstreamHolders(startOf(state), state.getHistory());
        return Verifications.answer(request, keptEvents(state), standing(state), upstream, state.getSeal() != null, now);
    }

    /** Every event the code keeps whole, sealed or not, in (event_time, event_id) order. */
    static List<ScanEvent> keptEvents(CodeState state) {
        if (state.getSeal() == null) {
            return state.getHistory();
        }
        List<ScanEvent> events = new ArrayList<>(state.getSeal().getKept());
        events.addAll(state.getHistory());
        events.sort(Events.EVENT_TIME_ORDER);
        return events;
    }

    /** Every alert standing on the code: those at the seal, then those since. */
    static List<RaisedAlert> standing(CodeState state) {
        if (state.getSeal() == null) {
            return state.getRaised();
        }
        List<RaisedAlert> alerts = new ArrayList<>(state.getSeal().getRaised());
        alerts.addAll(state.getRaised());
        return alerts;
    }

    private static long newestMicros(CodeState state) {
        List<ScanEvent> history = state.getHistory();
        long newest = state.getSeal() == null ? Long.MIN_VALUE : state.getSeal().getNewest();
        return history.isEmpty() ? newest : Math.max(newest, Times.epochMicros(history.get(history.size() - 1).getEventTime()));
    }

    /** A 64-bit hash of an event_id (FNV-1a, then a finaliser that spreads the bits). */
    static long idHash(String eventId) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < eventId.length(); i++) {
            hash = (hash ^ eventId.charAt(i)) * 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        return hash ^ (hash >>> 33);
    }
}
