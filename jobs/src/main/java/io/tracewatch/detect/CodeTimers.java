package io.tracewatch.detect;

import io.tracewatch.model.internal.CodeState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.util.function.ThrowingConsumer;

/**
 * The detector's per-code timers, each remembered in the code's state so that it is set once and
 * deleted when it is no longer needed. Judging timers serve a batch replay (its input sorted by
 * code), codes waiting for the reference data, and codes restored from a savepoint written before
 * the arrival buffer; the retention timer, in a timer service of its own, drops a code's state.
 */
final class CodeTimers {
    /** How soon a code waiting for reference data looks again. */
    private static final long REFERENCE_RETRY_MS = 200;

    private final InternalTimerService<VoidNamespace> judging;
    private final InternalTimerService<VoidNamespace> retention;
    private final long maxJudgeDelayMs;

    CodeTimers(InternalTimerService<VoidNamespace> judging, InternalTimerService<VoidNamespace> retention, long maxJudgeDelayMs) {
        this.judging = judging;
        this.retention = retention;
        this.maxJudgeDelayMs = maxJudgeDelayMs;
    }

    /** A timer callback for a timer service of event-time timers only. */
    static Triggerable<String, VoidNamespace> eventTimeOnly(ThrowingConsumer<InternalTimer<String, VoidNamespace>, Exception> onEventTime) {
        return new Triggerable<>() {
            @Override
            public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
                onEventTime.accept(timer);
            }

            @Override
            public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
                // none are set
            }
        };
    }

    /** The operator's watermark; while it advances, one timer service may have been moved on before the other. */
    long watermark() {
        return Math.max(judging.currentWatermark(), retention.currentWatermark());
    }

    long processingTime() {
        return judging.currentProcessingTime();
    }

    /**
     * Keeps one event-time timer at the earliest pending event and one processing-time timer that
     * judges whatever the watermark has not reached within the ordering delay; clears both when
     * nothing is pending. Without the reference data no event-time timer is set at or before the
     * watermark: it would fire again at once, forever, and the task would never read the broadcast
     * input that ends the wait, nor a checkpoint barrier; the processing-time wait retries instead.
     */
    void scheduleJudging(CodeState state, boolean ready) {
        Long pending = state.getJudgeTimer();
        Long waiting = state.getWaitTimer();
        if (state.getPendingFrom() == null) {
            cancelJudging(state);
            return;
        }
        long due = Math.floorDiv(state.getPendingFrom(), 1000);
        if ((pending == null || pending > due) && (due > judging.currentWatermark() || ready)) {
            if (pending != null) {
                judging.deleteEventTimeTimer(VoidNamespace.INSTANCE, pending);
            }
            judging.registerEventTimeTimer(VoidNamespace.INSTANCE, due);
            state.setJudgeTimer(due);
        }
        if (waiting == null) {
            long wakeUp = judging.currentProcessingTime() + maxJudgeDelayMs;
            judging.registerProcessingTimeTimer(VoidNamespace.INSTANCE, wakeUp);
            state.setWaitTimer(wakeUp);
        }
    }

    /** Deletes the code's judging timers, as nothing of it is pending or its state goes. */
    void cancelJudging(CodeState state) {
        if (state.getJudgeTimer() != null) {
            judging.deleteEventTimeTimer(VoidNamespace.INSTANCE, state.getJudgeTimer());
            state.setJudgeTimer(null);
        }
        if (state.getWaitTimer() != null) {
            judging.deleteProcessingTimeTimer(VoidNamespace.INSTANCE, state.getWaitTimer());
            state.setWaitTimer(null);
        }
    }

    /** Checks again shortly, in processing time, whether the reference data is in. */
    void awaitReference(CodeState state) {
        if (state.getWaitTimer() == null) {
            long retry = judging.currentProcessingTime() + REFERENCE_RETRY_MS;
            judging.registerProcessingTimeTimer(VoidNamespace.INSTANCE, retry);
            state.setWaitTimer(retry);
        }
    }

    /** A replay answers its verification requests at the end of its input, which fires this timer. */
    void atEndOfInput() {
        judging.registerEventTimeTimer(VoidNamespace.INSTANCE, Long.MAX_VALUE);
    }

    /**
     * Keeps the code's one seal-and-retention timer at or before {@code at}: the seal or the end of
     * retention, whichever is first. Both only ever move later as events arrive, so rather than
     * moving the timer on every event (two timer writes each, in RocksDB), a timer that fires early
     * is registered again at the new time; it is moved earlier only when a sealed code gets new
     * events to seal.
     */
    void retainUntil(CodeState state, long at) {
        Long set = state.getCleanupTimer();
        if (set != null && set <= at) {
            return;
        }
        if (set != null) {
            retention.deleteEventTimeTimer(VoidNamespace.INSTANCE, set);
        }
        retention.registerEventTimeTimer(VoidNamespace.INSTANCE, at);
        state.setCleanupTimer(at);
    }

    /** Whether the end of a bounded input passes every retention at once, as the job ends: nothing to drop then. */
    boolean inputEnded() {
        return retention.currentWatermark() == Long.MAX_VALUE;
    }
}
