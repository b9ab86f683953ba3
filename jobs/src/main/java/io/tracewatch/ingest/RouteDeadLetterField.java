package io.tracewatch.ingest;

import io.tracewatch.io.codec.DeadLetters;
import io.tracewatch.model.DeadLetter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * For the inputs beside the scans (case actions, reference data): a record that carries a dead
 * letter goes to the dead-letter output, every other passes.
 */
public final class RouteDeadLetterField<T extends SpecificRecord> extends ProcessFunction<T, T> {
    private static final String FIELD = "dead_letter";

    @Override
    public void processElement(T record, Context ctx, Collector<T> out) {
        Object letter = record.get(record.getSchema().getField(FIELD).pos());
        if (letter != null) {
            ctx.output(DeadLetters.TAG, (DeadLetter) letter);
        } else {
            out.collect(record);
        }
    }
}
