package io.tracewatch.io.ports;

import io.tracewatch.io.codec.ScanDecoder;
import io.tracewatch.model.internal.Ingested;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Where scan records come from: files, Kafka, or a test's collection. */
public interface ScanSource {

    /**
     * Adds the source to the job. Watermarks are generated in the source, so that a source with
     * several partitions keeps one watermark per partition; records are decoded where they are
     * read, so that dead letters name their file and line or topic and offset.
     */
    DataStream<Ingested> create(StreamExecutionEnvironment env, WatermarkStrategy<Ingested> watermarks, ScanDecoder decoder);

    /** Whether the scans end (files, a range of a topic), so that the job ends with them. */
    default boolean bounded() {
        return false;
    }
}
