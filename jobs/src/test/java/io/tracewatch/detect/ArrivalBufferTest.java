package io.tracewatch.detect;

import static io.tracewatch.model.EventType.SELL;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.model.internal.BufferedScan;
import io.tracewatch.testing.Decoding;
import io.tracewatch.testing.Scan;
import org.junit.jupiter.api.Test;

/** The detector's arrival buffer on its own: which codes are due, which waited long enough, what a checkpoint keeps. */
class ArrivalBufferTest {
    private static final String C1 = "86000000000000000001";
    private static final String C2 = "86000000000000000002";
    private static final String C3 = "86000000000000000003";
    private long position;

    private BufferedScan arrival(String code, String eventId, String time, long processingMs) {
        return new BufferedScan(Decoding.event(Scan.of(eventId, SELL, time, "PH-1").code(code).build(), ++position), Long.MIN_VALUE, 0L, processingMs);
    }

    private static long millis(String time) {
        return Scan.of("x", SELL, time, "PH-1").build().getEventTime().toEpochMilli();
    }

    @Test
    void aCodeIsDueWhenTheWatermarkPassesItsEarliestScanAndLeavesOnlyWhenTaken() {
        ArrivalBuffer buffer = new ArrivalBuffer();
        buffer.add(arrival(C1, "a2", "03-02 10:00", 1));
        buffer.add(arrival(C2, "b1", "03-03 10:00", 2));
        buffer.add(arrival(C1, "a1", "03-01 10:00", 3));

        assertThat(buffer.dueBy(millis("03-01 09:59"))).isEmpty();
        assertThat(buffer.dueBy(millis("03-02 10:00"))).containsExactly(C1);
        assertThat(buffer.size()).as("due codes stay until taken").isEqualTo(3);
        assertThat(buffer.take(C1).arrivals()).extracting(a -> a.getScan().getEvent().getEventId()).containsExactly("a2", "a1");
        assertThat(buffer.dueBy(Long.MAX_VALUE)).containsExactly(C2);
        assertThat(buffer.size()).isEqualTo(1);
    }

    @Test
    void waitsEndInArrivalOrderAndTakenCodesAreSkipped() {
        ArrivalBuffer buffer = new ArrivalBuffer();
        buffer.add(arrival(C1, "a1", "03-01 10:00", 100));
        buffer.add(arrival(C2, "b1", "03-01 10:00", 200));
        buffer.add(arrival(C3, "c1", "03-01 10:00", 300));
        buffer.take(C1);

        assertThat(buffer.earliestWaitMs()).isEqualTo(200);
        assertThat(buffer.waitingSince(250)).containsExactly(C2);
        buffer.take(C2);
        assertThat(buffer.earliestWaitMs()).isEqualTo(300);
    }

    @Test
    void aCodeWaitingWithItsStateIsDueAndWaitsWithoutScans() {
        ArrivalBuffer buffer = new ArrivalBuffer();
        buffer.awaitInState(C1, millis("03-05 10:00"), 50);
        assertThat(buffer.size()).isZero();
        assertThat(buffer.isEmpty()).isFalse();
        assertThat(buffer.dueBy(millis("03-04 10:00"))).isEmpty();
        assertThat(buffer.dueBy(millis("03-05 10:00"))).containsExactly(C1);
        assertThat(buffer.take(C1).arrivals()).isEmpty();
        assertThat(buffer.isEmpty()).isTrue();
    }

    @Test
    void whatACheckpointKeepsRebuildsTheSameBuffer() {
        ArrivalBuffer buffer = new ArrivalBuffer();
        buffer.add(arrival(C1, "a1", "03-02 10:00", 10));
        buffer.add(arrival(C1, "a2", "03-01 10:00", 20));
        buffer.awaitInState(C2, millis("03-03 10:00"), 5);

        ArrivalBuffer restored = new ArrivalBuffer();
        buffer.waitingInState().forEach(w -> restored.awaitInState(w.getCode(), w.getDueMs(), w.getWaitFromMs()));
        buffer.arrivals().forEach(restored::add);

        assertThat(restored.size()).isEqualTo(2);
        assertThat(restored.earliestWaitMs()).isEqualTo(5);
        assertThat(restored.dueBy(millis("03-01 10:00"))).containsExactly(C1);
        assertThat(restored.take(C1).arrivals()).extracting(a -> a.getScan().getEvent().getEventId()).containsExactly("a1", "a2");
        assertThat(restored.dueBy(Long.MAX_VALUE)).containsExactly(C2);
    }

    @Test
    void entriesLeftByTakenCodesDoNotPileUp() {
        ArrivalBuffer buffer = new ArrivalBuffer();
        for (int i = 0; i < 100_000; i++) {
            buffer.add(arrival(String.format("86%018d", i), "e" + i, "03-01 10:00", i));
            buffer.take(String.format("86%018d", i));
        }
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.earliestWaitMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(buffer.dueBy(Long.MAX_VALUE)).isEmpty();
    }
}
