package io.tracewatch.io;

import io.tracewatch.io.codec.ScanEventJson;
import io.tracewatch.io.codec.Times;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.VerifyRequest;
import io.tracewatch.model.internal.CodeState;
import io.tracewatch.model.internal.SentLead;
import io.tracewatch.model.internal.RaisedAlert;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;

/**
 * Reads every format of the detector's per-code state that {@link CodeStateSerializer} has
 * written (its class comment lists them): the current one, and the earlier ones a savepoint may
 * still hold, migrated as they are read.
 */
final class CodeStateReader {
    private CodeStateReader() {}

    private static RaisedAlert readAlert(DataInputView in) throws IOException {
        String rule = ScanBinary.readString(in);
        String trigger = ScanBinary.readString(in);
        return new RaisedAlert(rule, trigger, in.readLong());
    }

    /** Format 4 writes standing alerts and leads field by field; format 3 wrote each as one string. */
    static CodeState readFormat3or4(DataInputView in, boolean fields) throws IOException {
        CodeState state = new CodeState();
        readEvents(in, state, in.readInt(), true);
        if (fields) {
            state.setRaised(readAlerts(in, count(in, "standing alerts")));
            state.setLeads(readLeads(in, count(in, "leads")));
        } else {
            state.setRaised(raisedAlerts(readKeys(in)));
            List<SentLead> sent = new ArrayList<>();
            for (String lead : readKeys(in)) {
                // a 16-character fingerprint of what the lead said, then its alert's key
                sent.add(new SentLead(raisedAlert(lead.substring(FORMAT_3_FINGERPRINT_CHARS)), lead.substring(0, FORMAT_3_FINGERPRINT_CHARS)));
            }
            state.setLeads(sent);
        }
        state.setRequests(readRequests(in, in.readInt()));
        state.setJudgedThrough(in.readLong());
        state.setRetainUntil(in.readLong());
        int flags = in.readByte();
        state.setJudgeTimer((flags & CodeStateSerializer.JUDGE_TIMER) != 0 ? in.readLong() : null);
        state.setWaitTimer((flags & CodeStateSerializer.WAIT_TIMER) != 0 ? in.readLong() : null);
        state.setCleanupTimer((flags & CodeStateSerializer.CLEANUP_TIMER) != 0 ? in.readLong() : null);
        state.setPendingFrom((flags & CodeStateSerializer.PENDING) != 0 ? in.readLong() : null);
        state.setOverflowed(in.readLong());
        return state;
    }

    /** Format 5: format 4, then the code's sealed history if it has one, in format 5's layout. */
    static CodeState readFormat5(DataInputView in) throws IOException {
        CodeState state = readFormat3or4(in, true);
        if (in.readBoolean()) {
            state.setSeal(Format5Seals.read(in));
        }
        return state;
    }

    /** Format 6, the current one: as 5 with counts, times and the seal compact ({@link CodeStateSerializer#serialize}). */
    static CodeState readFormat6(DataInputView in) throws IOException {
        try {
            return format6(in);
        } catch (ArithmeticException | java.time.DateTimeException e) {
            // a number out of its field's range: the bytes are not a state this release wrote
            throw new IOException("corrupt code state: " + e.getMessage(), e);
        }
    }

    private static CodeState format6(DataInputView in) throws IOException {
        CodeState state = new CodeState();
        readEvents(in, state, CompactNumbers.readCount(in, MAX_EVENTS_READ, "events"), true);
        state.setRaised(readAlerts(in, CompactNumbers.readCount(in, MAX_EVENTS_READ * 4, "standing alerts")));
        state.setLeads(readLeads(in, CompactNumbers.readCount(in, MAX_EVENTS_READ * 4, "leads")));
        state.setRequests(readRequests(in, CompactNumbers.readCount(in, MAX_EVENTS_READ, "requests")));
        int flags = in.readUnsignedByte();
        state.setJudgedThrough(CompactNumbers.readTime(in));
        state.setRetainUntil(CompactNumbers.readTime(in));
        state.setJudgeTimer((flags & CodeStateSerializer.JUDGE_TIMER) != 0 ? CompactNumbers.readTime(in) : null);
        state.setWaitTimer((flags & CodeStateSerializer.WAIT_TIMER) != 0 ? CompactNumbers.readTime(in) : null);
        state.setCleanupTimer((flags & CodeStateSerializer.CLEANUP_TIMER) != 0 ? CompactNumbers.readTime(in) : null);
        state.setPendingFrom((flags & CodeStateSerializer.PENDING) != 0 ? CompactNumbers.readTime(in) : null);
        state.setOverflowed((flags & CodeStateSerializer.OVERFLOWED) != 0 ? CompactNumbers.readUnsigned(in) : 0L);
        if ((flags & CodeStateSerializer.SEALED) != 0) {
            state.setSeal(SealBinary.read(in));
        }
        return state;
    }

    private static List<RaisedAlert> readAlerts(DataInputView in, int count) throws IOException {
        List<RaisedAlert> alerts = new ArrayList<>(count + 1);
        for (int i = 0; i < count; i++) {
            alerts.add(readAlert(in));
        }
        return alerts;
    }

    private static List<SentLead> readLeads(DataInputView in, int count) throws IOException {
        List<SentLead> sent = new ArrayList<>(count + 1);
        for (int i = 0; i < count; i++) {
            sent.add(new SentLead(readAlert(in), ScanBinary.readString(in)));
        }
        return sent;
    }

    private static List<VerifyRequest> readRequests(DataInputView in, int requests) throws IOException {
        if (requests < 0 || requests > MAX_EVENTS_READ) {
            throw new IOException("corrupt code state: " + requests + " requests");
        }
        List<VerifyRequest> held = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            String id = ScanBinary.readString(in);
            String code = ScanBinary.readString(in);
            String by = ScanBinary.readString(in);
            String reason = ScanBinary.readString(in);
            held.add(new VerifyRequest(id, code, by, reason.isEmpty() ? null : reason));
        }
        return held;
    }

    /**
     * Formats 1 and 2. A RocksDB value is read from a buffer of exactly its bytes: the format that
     * reads them all, and no more, is the one. State restored from them keeps no patient reference,
     * works out what is pending from how far it was judged, and its end of retention on first use.
     */
    static CodeState readLegacy(DataInputView in) throws IOException {
        CodeState state = null;
        if (in instanceof DataInputDeserializer buffer) {
            byte[] value = new byte[buffer.available()];
            buffer.readFully(value);
            DataInputDeserializer asFormat2 = new DataInputDeserializer(value);
            try {
                state = readFormat1or2(asFormat2, true);
                if (asFormat2.available() != 0) {
                    state = null;
                }
            } catch (IOException | RuntimeException e) {
                state = null;
            }
            if (state == null) {
                state = readFormat1or2(new DataInputDeserializer(value), false);
            }
        } else {
            state = readFormat1or2(in, true);
        }
        for (ScanEvent event : state.getHistory()) {
            event.setPatientRef(null);
        }
        state.setPendingFrom(null);
        for (ScanEvent event : state.getHistory()) {
            long micros = Times.epochMicros(event.getEventTime());
            if (micros > state.getJudgedThrough()) {
                state.setPendingFrom(micros);
                break;
            }
        }
        state.setRetainUntil(Long.MIN_VALUE);
        return state;
    }

    private static CodeState readFormat1or2(DataInputView in, boolean fingerprints) throws IOException {
        CodeState state = new CodeState();
        readEvents(in, state, in.readInt(), fingerprints);
        state.setRaised(raisedAlerts(readKeys(in)));
        // alerts raised before leads existed made none: their retraction withdraws nothing
        state.setLeads(new ArrayList<>());
        state.setRequests(new ArrayList<>());
        state.setJudgedThrough(in.readLong());
        int timers = in.readByte();
        state.setJudgeTimer((timers & CodeStateSerializer.JUDGE_TIMER) != 0 ? in.readLong() : null);
        state.setWaitTimer((timers & CodeStateSerializer.WAIT_TIMER) != 0 ? in.readLong() : null);
        state.setCleanupTimer((timers & CodeStateSerializer.CLEANUP_TIMER) != 0 ? in.readLong() : null);
        state.setOverflowed(in.readLong());
        return state;
    }

    /** Events, each with its content fingerprint; format 1 kept none, so the fingerprint of the event's JSON form stands in. */
    private static void readEvents(DataInputView in, CodeState state, int events, boolean fingerprints) throws IOException {
        if (events < 0 || events > MAX_EVENTS_READ) {
            throw new IOException("corrupt code state: " + events + " events");
        }
        List<ScanEvent> history = new ArrayList<>(events + 1);
        List<Long> contents = new ArrayList<>(events + 1);
        for (int i = 0; i < events; i++) {
            ScanEvent event = ScanBinary.readEvent(in);
            history.add(event);
            contents.add(fingerprints ? in.readLong() : ScanEventJson.decode(ScanEventJson.encode(event)).content());
        }
        state.setHistory(history);
        state.setContents(contents);
    }

    private static int count(DataInputView in, String what) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_EVENTS_READ * 4) {
            throw new IOException("corrupt code state: " + count + " " + what);
        }
        return count;
    }

    /** Formats 1-3 kept a standing alert as one string: its rule, a bar, its trigger's event_id. */
    private static List<RaisedAlert> raisedAlerts(List<String> keys) throws IOException {
        List<RaisedAlert> alerts = new ArrayList<>(keys.size() + 1);
        for (String key : keys) {
            alerts.add(raisedAlert(key));
        }
        return alerts;
    }

    private static RaisedAlert raisedAlert(String key) throws IOException {
        int bar = key.indexOf('|');
        if (bar <= 0) {
            throw new IOException("corrupt code state: alert key " + key);
        }
        // what alerts raised before format 4 said is not known: the next judging of their code sends them again once
        return new RaisedAlert(key.substring(0, bar), key.substring(bar + 1), 0L);
    }

    private static List<String> readKeys(DataInputView in) throws IOException {
        int count = count(in, "alert keys");
        List<String> keys = new ArrayList<>(count + 1);
        for (int i = 0; i < count; i++) {
            keys.add(ScanBinary.readString(in));
        }
        return keys;
    }

    /** Format 3's leads began with a fingerprint of this many characters. */
    private static final int FORMAT_3_FINGERPRINT_CHARS = 16;

    /** More events than any history cap allows: the bytes are not a code state. */
    static final int MAX_EVENTS_READ = 1 << 20;
}
