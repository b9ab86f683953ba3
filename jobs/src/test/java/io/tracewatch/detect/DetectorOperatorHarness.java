package io.tracewatch.detect;

import io.tracewatch.model.Alert;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.model.internal.ReferenceRecord;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * Flink's harness for a keyed two-input operator, around the detector: scans are the keyed first
 * input, reference data the second, as in the topology.
 */
public final class DetectorOperatorHarness extends KeyedTwoInputStreamOperatorTestHarness<String, Ingested, ReferenceRecord, Alert> {
    public DetectorOperatorHarness(CodeDetector detector) throws Exception {
        this(detector, 1, 1, 0);
    }

    /** One subtask of several, for tests that rescale. */
    public DetectorOperatorHarness(CodeDetector detector, int maxParallelism, int parallelism, int subtask) throws Exception {
        super(detector, DetectorOperatorHarness::code, reference -> "", Types.STRING, maxParallelism, parallelism, subtask);
    }

    static String code(Ingested record) {
        return record.getEvent() != null ? record.getEvent().getCode() : record.getRequest().getCode();
    }

    public void processElement(StreamRecord<Ingested> scan) throws Exception {
        processElement1(scan);
    }

    public void processWatermark(long watermark) throws Exception {
        processWatermark1(new Watermark(watermark));
    }

    public void processBroadcastElement(StreamRecord<ReferenceRecord> record) throws Exception {
        processElement2(record);
    }

    public void processBroadcastWatermark(long watermark) throws Exception {
        processWatermark2(new Watermark(watermark));
    }
}
