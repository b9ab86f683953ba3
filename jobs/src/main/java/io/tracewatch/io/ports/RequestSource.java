package io.tracewatch.io.ports;

import io.tracewatch.model.internal.Ingested;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Where verification requests come from: the requests topic for the live job, a file for a replay. */
public interface RequestSource {

    /**
     * The requests, as records keyed by code like scans. Their stream must never hold back event
     * time: it carries no event time of its own.
     */
    DataStream<Ingested> create(StreamExecutionEnvironment env);

    /** Whether requests are answered at the end of the input (a replay) rather than as they arrive. */
    boolean answersAtEnd();
}
