package io.tracewatch.io.codec;

import io.tracewatch.model.ScanEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.SchemaNormalization;

/** The Avro binary form of a scan event: Avro single-object encoding of schemas/ScanEvent.avsc. */
public final class ScanEventAvro {
    private static final int HEADER_BYTES = 10;
    private static final long FINGERPRINT = SchemaNormalization.parsingFingerprint64(ScanEvent.SCHEMA$);

    private ScanEventAvro() {}

    public static byte[] encode(ScanEvent event) {
        try {
            ByteBuffer buffer = ScanEvent.getEncoder().encode(event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException("a scan event could not be encoded", e);
        }
    }

    /**
     * Decodes and checks an event, never throwing: a record that is not one comes back with the
     * reason. The bytes are walked first ({@link AvroBounds}), so no length they claim is trusted.
     */
    public static ScanEventJson.Decoded decode(byte[] bytes) {
        String problem = headerProblem(bytes);
        if (problem == null) {
            problem = AvroBounds.problem(ScanEvent.SCHEMA$, bytes, HEADER_BYTES);
        }
        if (problem != null) {
            return refused("invalid Avro ScanEvent: " + problem);
        }
        ScanEvent event;
        try {
            event = ScanEvent.getDecoder().decode(bytes);
        } catch (IOException | RuntimeException e) {
            return refused("invalid Avro ScanEvent: " + e.getClass().getSimpleName());
        }
        return check(event);
    }

    private static String headerProblem(byte[] bytes) {
        if (bytes.length < HEADER_BYTES || (bytes[0] & 0xff) != 0xc3 || bytes[1] != 0x01) {
            return "not Avro single-object encoding";
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return fingerprint == FINGERPRINT ? null : "written with another schema (fingerprint " + Long.toHexString(fingerprint) + ")";
    }

    private static ScanEventJson.Decoded refused(String reason) {
        return new ScanEventJson.Decoded(null, reason, null, null, 0, 0, null);
    }

    /**
     * Checks an event read from Avro against the contract, as the JSON decoder does; its content
     * fingerprint is that of its JSON form as received.
     */
    static ScanEventJson.Decoded check(ScanEvent event) {
        String problem = ScanChecks.requiredProblem(event);
        if (problem != null) {
            return new ScanEventJson.Decoded(null, problem, event.getEventId(), event.getCode(), 0, 0, null);
        }
        long content = ScanEventJson.decode(ScanEventJson.encode(event)).content();
        int cleared = ScanChecks.clearInvalidOptional(event);
        event.setEventTime(Times.toMicros(event.getEventTime()));
        return new ScanEventJson.Decoded(event, null, event.getEventId(), event.getCode(), cleared, content, null);
    }
}
