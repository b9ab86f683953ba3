package io.tracewatch.ingest;

import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.model.internal.Ingested;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Sends records that could not be decoded to the dead-letter output and lets scan events and verification requests through. */
public class RouteDeadLetters extends ProcessFunction<Ingested, Ingested> {
    /** Accumulator of every record of the scan input read, decoded or not; a bounded job reports it when it ends. */
    public static final String RECORDS_READ = "records-read";
    /** Accumulator of the records that decoded as scan events. */
    public static final String SCANS_READ = "scans-read";

    private transient LongCounter recordsRead;
    private transient LongCounter scansRead;
    private transient Counter scans;
    private transient Counter undecodable;
    private transient Counter invalidOptionalFields;

    @Override
    public void open(OpenContext openContext) {
        recordsRead = getRuntimeContext().getLongCounter(RECORDS_READ);
        scansRead = getRuntimeContext().getLongCounter(SCANS_READ);
        scans = getRuntimeContext().getMetricGroup().counter("scansDecoded");
        undecodable = getRuntimeContext().getMetricGroup().counter("deadLetters");
        invalidOptionalFields = getRuntimeContext().getMetricGroup().counter("invalidOptionalFields");
    }

    @Override
    public void processElement(Ingested record, Context ctx, Collector<Ingested> out) {
        if (record.getRequest() == null) {
            // records of the scan input: a verification request is a question, not a record read
            recordsRead.add(1);
        }
        if (record.getDeadLetter() != null) {
            undecodable.inc();
            ctx.output(DeadLetters.TAG, record.getDeadLetter());
            return;
        }
        if (record.getEvent() == null) {
            // a verification request: it goes to its code's state
            out.collect(record);
            return;
        }
        scans.inc();
        scansRead.add(1);
        invalidOptionalFields.inc(record.getInvalidOptionalFields());
        out.collect(record);
    }
}
