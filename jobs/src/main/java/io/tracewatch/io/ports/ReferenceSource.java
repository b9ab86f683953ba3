package io.tracewatch.io.ports;

import io.tracewatch.model.internal.ReferenceRecord;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where reference data comes from (contract reference-data.md): party versions and settings
 * versions, then the mark that everything known at start has been read, then any later version.
 * Its stream carries no event time: it never holds back the scans'.
 */
public interface ReferenceSource {

    DataStream<ReferenceRecord> create(StreamExecutionEnvironment env);

    /** Whether a party register is configured. */
    boolean register();
}
