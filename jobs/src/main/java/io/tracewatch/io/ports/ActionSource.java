package io.tracewatch.io.ports;

import io.tracewatch.model.internal.ActionRecord;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Where case actions come from: the case-actions topic for the live job. */
public interface ActionSource {

    DataStream<ActionRecord> create(StreamExecutionEnvironment env);
}
