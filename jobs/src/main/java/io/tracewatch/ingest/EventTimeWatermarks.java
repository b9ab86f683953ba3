package io.tracewatch.ingest;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks that a clock set in the future cannot drag forward: an event
 * stamped more than {@code maxFutureMs} ahead of the wall clock is still processed (and judged by
 * the processing-time fallback) but does not advance event time. One scanner with a wrong clock
 * would otherwise make every other upload late and fire every code's retention timer at once.
 */
public final class EventTimeWatermarks<T> implements WatermarkGenerator<T> {
    private final long orderingDelayMs;
    private final long maxFutureMs;
    private long maxTimestamp = Long.MIN_VALUE;

    public EventTimeWatermarks(long orderingDelayMs, long maxFutureMs) {
        this.orderingDelayMs = orderingDelayMs;
        this.maxFutureMs = maxFutureMs;
    }

    @Override
    public void onEvent(T event, long timestamp, WatermarkOutput output) {
        if (timestamp != Long.MIN_VALUE && timestamp <= System.currentTimeMillis() + maxFutureMs) {
            maxTimestamp = Math.max(maxTimestamp, timestamp);
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (maxTimestamp != Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(maxTimestamp - orderingDelayMs - 1));
        }
    }
}
