package io.tracewatch.io;

import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import java.time.Instant;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** The dead-letter output: records refused with a reason, never dropped silently. */
public final class DeadLetters {
    /** Side output that every operator refusing a record writes to. */
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private DeadLetters() {}

    /** A dead letter for a record a source could not decode. */
    public static DeadLetter undecodable(
            String reason, String raw, String source, long position, Integer partition, String eventId, String code) {
        return DeadLetter.newBuilder()
                .setReason(reason)
                .setRaw(raw)
                .setSource(source)
                .setPosition(position)
                .setPartition(partition)
                .setEventId(eventId)
                .setCode(code)
                .setDetectedAt(Instant.now())
                .build();
    }

    /** A dead letter for an event accepted earlier and now evicted; where it arrived is no longer known. */
    public static DeadLetter evicted(String reason, ScanEvent event) {
        return undecodable(reason, ScanEventJson.encode(event), "detector state", -1, null, event.getEventId(), event.getCode());
    }

    /** A dead letter for a decoded event that the detector refused. */
    public static DeadLetter refused(String reason, Ingested scan) {
        return undecodable(
                reason,
                ScanEventJson.encode(scan.getEvent()),
                scan.getSource(),
                scan.getArrival(),
                scan.getPartition(),
                scan.getEvent().getEventId(),
                scan.getEvent().getCode());
    }
}
