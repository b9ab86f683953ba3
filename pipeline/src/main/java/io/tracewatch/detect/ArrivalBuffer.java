package io.tracewatch.detect;

import io.tracewatch.model.internal.Ingested;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The scans a detector subtask has received and not yet merged into their codes' state, by code,
 * codes in the order of their first buffered arrival. A code's scans wait here until the watermark
 * passes the earliest of them, so that one read and one write of the code's state merge and judge
 * them all, where merging each on arrival and judging it on a timer would read and write the state
 * twice per scan and keep two timers (Flink SQL's mini-batch aggregation works the same way).
 *
 * <p>Plain Java on the heap: the detector checkpoints its contents ({@link #arrivals()}).
 */
final class ArrivalBuffer {
    /**
     * One buffered scan with what the detector knew when it arrived: merging it later gives the same
     * result as merging it then.
     *
     * @param watermark the detector's watermark when it arrived (milliseconds)
     * @param wallClockMs the wall clock when it arrived, which bounds event times stamped ahead
     * @param processingMs the detector's processing time when it arrived, which starts its wait
     */
    record Arrival(Ingested scan, long watermark, long wallClockMs, long processingMs) {
        String code() {
            return scan.getEvent().getCode();
        }

        long eventTimeMs() {
            return scan.getEvent().getEventTime().toEpochMilli();
        }
    }

    private static final class Pending {
        final List<Arrival> arrivals = new ArrayList<>(2);
        long dueMs = Long.MAX_VALUE;
    }

    private record Due(long dueMs, String code, Pending pending) {}

    private final Map<String, Pending> byCode = new LinkedHashMap<>();
    /** Codes by when the watermark makes them due; entries of codes taken out since are skipped. */
    private final PriorityQueue<Due> due = new PriorityQueue<>(Comparator.comparingLong(Due::dueMs));
    private int size;

    void add(Arrival arrival) {
        Pending pending = byCode.computeIfAbsent(arrival.code(), code -> new Pending());
        pending.arrivals.add(arrival);
        size++;
        long dueMs = arrival.eventTimeMs();
        if (dueMs < pending.dueMs) {
            pending.dueMs = dueMs;
            due.add(new Due(dueMs, arrival.code(), pending));
            if (due.size() > 2 * byCode.size() + 1024) {
                dropStaleDueEntries();
            }
        }
    }

    /** Takes out a code's buffered scans in arrival order; an empty list when it has none. */
    List<Arrival> take(String code) {
        Pending pending = byCode.remove(code);
        if (pending == null) {
            return List.of();
        }
        size -= pending.arrivals.size();
        return pending.arrivals;
    }

    /** The codes with a buffered scan at or before this watermark, earliest first; they stay buffered until taken. */
    List<String> dueBy(long watermarkMs) {
        List<String> codes = new ArrayList<>();
        while (!due.isEmpty() && due.peek().dueMs() <= watermarkMs) {
            Due entry = due.poll();
            Pending pending = byCode.get(entry.code());
            if (pending == entry.pending() && pending.dueMs == entry.dueMs()) {
                codes.add(entry.code());
            }
        }
        return codes;
    }

    /** The code whose first buffered scan arrived earliest, or null when the buffer is empty. */
    String oldestCode() {
        Iterator<String> codes = byCode.keySet().iterator();
        return codes.hasNext() ? codes.next() : null;
    }

    /** When the oldest code's first buffered scan arrived (processing time); Long.MAX_VALUE when empty. */
    long oldestArrivalMs() {
        Iterator<Pending> pending = byCode.values().iterator();
        return pending.hasNext() ? pending.next().arrivals.get(0).processingMs() : Long.MAX_VALUE;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Every buffered scan, codes in order of first arrival, each code's in arrival order: adding them back rebuilds this buffer. */
    List<Arrival> arrivals() {
        List<Arrival> all = new ArrayList<>(size);
        for (Pending pending : byCode.values()) {
            all.addAll(pending.arrivals);
        }
        return all;
    }

    /** Codes taken out by their wait or a late scan leave their entries behind while the watermark stalls. */
    private void dropStaleDueEntries() {
        due.clear();
        byCode.forEach((code, pending) -> due.add(new Due(pending.dueMs, code, pending)));
    }
}
