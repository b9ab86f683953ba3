package io.tracewatch.detect;

import io.tracewatch.model.internal.BufferedScan;
import io.tracewatch.model.internal.WaitingCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The codes a detector subtask has to judge later, and the scans it has received and not yet
 * merged into their codes' state. A code's scans wait here until the watermark passes the earliest
 * of them, so that one read and one write of the code's state merge and judge them all, where
 * merging each on arrival and judging it on a timer would read and write the state twice per scan
 * and keep two timers (Flink SQL's mini-batch aggregation works the same way). A code whose state
 * still holds events the watermark has not passed waits here too, without scans, in place of a
 * timer.
 *
 * <p>Plain Java on the heap: the detector checkpoints its contents ({@link #waitingInState()},
 * {@link #arrivals()}).
 */
final class ArrivalBuffer {
    static String codeOf(BufferedScan arrival) {
        return arrival.getScan().getEvent().getCode();
    }

    static long eventTimeMs(BufferedScan arrival) {
        return arrival.getScan().getEvent().getEventTime().toEpochMilli();
    }

    /** What is waiting for one code: scans to merge (possibly none), when it is due, when its wait started. */
    static final class Pending {
        private final List<BufferedScan> arrivals = new ArrayList<>(2);
        private long dueMs = Long.MAX_VALUE;
        private long waitFromMs = Long.MAX_VALUE;

        List<BufferedScan> arrivals() {
            return arrivals;
        }

        long waitFromMs() {
            return waitFromMs;
        }
    }

    private record Entry(long at, String code, Pending pending) {}

    private final Map<String, Pending> byCode = new HashMap<>();
    /** Codes by when the watermark makes them due; entries of codes taken out since are skipped. */
    private final PriorityQueue<Entry> due = new PriorityQueue<>(Comparator.comparingLong(Entry::at));
    /**
     * Codes in the order their wait started, entries of codes taken out since skipped. A queue, not
     * a heap: waits start as scans arrive. A code put back after its state was judged in part waits
     * from its first scan's arrival, and behind codes that arrived since; only a stalled watermark
     * lets waits end, and then nothing is put back.
     */
    private final ArrayDeque<Entry> waits = new ArrayDeque<>();
    private int scans;

    void add(BufferedScan arrival) {
        Pending pending = pending(codeOf(arrival), eventTimeMs(arrival), arrival.getProcessingMs());
        pending.arrivals.add(arrival);
        scans++;
    }

    /** The code's state holds events not judged yet: it is judged when the watermark passes {@code dueMs}, or its wait ends. */
    void awaitInState(String code, long dueMs, long waitFromMs) {
        pending(code, dueMs, waitFromMs);
    }

    private Pending pending(String code, long dueMs, long waitFromMs) {
        Pending pending = byCode.computeIfAbsent(code, c -> new Pending());
        if (dueMs < pending.dueMs) {
            pending.dueMs = dueMs;
            due.add(new Entry(dueMs, code, pending));
        }
        if (waitFromMs < pending.waitFromMs) {
            pending.waitFromMs = waitFromMs;
            waits.add(new Entry(waitFromMs, code, pending));
        }
        if (due.size() + waits.size() > 4 * byCode.size() + 1024) {
            dropStaleEntries();
        }
        return pending;
    }

    /** Takes out what waits for a code (its scans in arrival order); null when nothing does. */
    Pending take(String code) {
        Pending pending = byCode.remove(code);
        if (pending != null) {
            scans -= pending.arrivals.size();
        }
        return pending;
    }

    /** The codes due at or before this watermark, earliest first; they stay here until taken. */
    List<String> dueBy(long watermarkMs) {
        return pop(due, watermarkMs, true);
    }

    /** The codes whose wait started at or before this processing time, earliest first; they stay here until taken. */
    List<String> waitingSince(long processingMs) {
        return pop(waits, processingMs, false);
    }

    private List<String> pop(java.util.Queue<Entry> queue, long upTo, boolean byDue) {
        List<String> codes = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().at() <= upTo) {
            Entry entry = queue.poll();
            if (live(entry, byDue)) {
                codes.add(entry.code());
            }
        }
        return codes;
    }

    private boolean live(Entry entry, boolean byDue) {
        Pending pending = byCode.get(entry.code());
        return pending == entry.pending() && (byDue ? pending.dueMs : pending.waitFromMs) == entry.at();
    }

    /** When the earliest wait here started; Long.MAX_VALUE when nothing waits. */
    long earliestWaitMs() {
        while (!waits.isEmpty() && !live(waits.peek(), false)) {
            waits.poll();
        }
        return waits.isEmpty() ? Long.MAX_VALUE : waits.peek().at();
    }

    /** Buffered scans. */
    int size() {
        return scans;
    }

    boolean isEmpty() {
        return byCode.isEmpty();
    }

    /** Every buffered scan, each code's in arrival order: adding them back rebuilds the scans of this buffer. */
    List<BufferedScan> arrivals() {
        List<BufferedScan> all = new ArrayList<>(scans);
        for (Pending pending : byCode.values()) {
            all.addAll(pending.arrivals);
        }
        return all;
    }

    /**
     * Every code waiting here, with when it is due and when its wait started, in that order of
     * waits: adding them back, then the scans, rebuilds this buffer.
     */
    List<WaitingCode> waitingInState() {
        List<WaitingCode> all = new ArrayList<>(byCode.size());
        byCode.forEach((code, pending) -> all.add(new WaitingCode(code, pending.dueMs, pending.waitFromMs)));
        all.sort(Comparator.comparingLong(WaitingCode::getWaitFromMs));
        return all;
    }

    /** Codes taken out leave their entries behind until those come first: rebuilt when they are most of the entries. */
    private void dropStaleEntries() {
        due.clear();
        List<Entry> live = new ArrayList<>(byCode.size());
        byCode.forEach((code, pending) -> {
            due.add(new Entry(pending.dueMs, code, pending));
            live.add(new Entry(pending.waitFromMs, code, pending));
        });
        live.sort(Comparator.comparingLong(Entry::at));
        waits.clear();
        waits.addAll(live);
    }
}
