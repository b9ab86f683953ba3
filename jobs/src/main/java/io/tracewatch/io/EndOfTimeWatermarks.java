package io.tracewatch.io;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks for the inputs that meet the scans in the detector but carry no event time of their
 * own (verification requests, reference data): always the end of time, so that the detector's
 * event time is the scans' alone.
 */
final class EndOfTimeWatermarks<T> implements WatermarkGenerator<T> {

    static <T> WatermarkStrategy<T> strategy() {
        return WatermarkStrategy.forGenerator(context -> new EndOfTimeWatermarks<>());
    }

    @Override
    public void onEvent(T event, long timestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(new Watermark(Long.MAX_VALUE));
    }
}
