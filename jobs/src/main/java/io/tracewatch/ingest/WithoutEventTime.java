package io.tracewatch.ingest;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Passes the records of an input that has no event time of its own (verification requests, register
 * and settings versions, case actions) and declares that input idle for good, so that the operator
 * it meets takes its event time from the scans alone. Without it, a bounded or end-of-time input
 * would lift the detector's watermark to the end of time as soon as the scans went quiet, firing
 * every code's cleanup timer.
 */
public final class WithoutEventTime<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {

    @Override
    public void open() throws Exception {
        super.open();
        output.emitWatermarkStatus(WatermarkStatus.IDLE);
    }

    @Override
    public void processElement(StreamRecord<T> record) {
        output.collect(record);
    }

    @Override
    public void processWatermark(Watermark watermark) {}

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {}
}
