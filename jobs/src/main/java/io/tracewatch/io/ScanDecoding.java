package io.tracewatch.io;

import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;

/** Turns one received record into what the pipeline ingests: a scan event, or a dead letter saying why not. */
public final class ScanDecoding {
    private ScanDecoding() {}

    /**
     * @param position 1-based line number, or Kafka offset
     * @param partition Kafka partition, or null
     */
    public static Ingested fromJson(String text, String source, long position, Integer partition) {
        return ingested(ScanEventJson.decode(text), text, source, position, partition);
    }

    public static Ingested fromAvro(byte[] bytes, String source, long position, Integer partition) {
        return ingested(ScanEventAvro.decode(bytes), ScanEventAvro.printable(bytes), source, position, partition);
    }

    /** An event already decoded from an Avro container file: checked like any other. */
    public static Ingested fromEvent(ScanEvent event, String source, long position, Integer partition) {
        return ingested(ScanEventAvro.check(event), ScanEventJson.encode(event), source, position, partition);
    }

    private static Ingested ingested(ScanEventJson.Decoded decoded, String raw, String source, long position, Integer partition) {
        Ingested.Builder ingested = Ingested.newBuilder()
                .setSource(source)
                .setArrival(position)
                .setPartition(partition);
        if (decoded.event() != null) {
            return ingested.setEvent(decoded.event())
                    .setInvalidOptionalFields(decoded.invalidOptionalFields())
                    .setContent(decoded.content())
                    .build();
        }
        return ingested
                .setDeadLetter(DeadLetters.undecodable(
                        decoded.error(), raw, source, position, partition, decoded.eventId(), decoded.code()))
                .build();
    }
}
