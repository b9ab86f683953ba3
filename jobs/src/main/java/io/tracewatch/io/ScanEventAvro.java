package io.tracewatch.io;

import io.tracewatch.model.ScanEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import org.apache.avro.AvroRuntimeException;

/** The Avro binary form of a scan event: Avro single-object encoding of schemas/ScanEvent.avsc. */
public final class ScanEventAvro {
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

    /** Decodes and checks an event, never throwing: a record that is not one comes back with the reason. */
    public static ScanEventJson.Decoded decode(byte[] bytes) {
        ScanEvent event;
        try {
            event = ScanEvent.getDecoder().decode(bytes);
        } catch (IOException | AvroRuntimeException | IllegalArgumentException | IndexOutOfBoundsException e) {
            return new ScanEventJson.Decoded(null, "invalid Avro ScanEvent: " + e.getMessage(), null, null, 0, 0);
        }
        return check(event);
    }

    /**
     * Checks an event read from Avro against the contract, as the JSON decoder does; its content
     * fingerprint is that of its JSON form as received.
     */
    static ScanEventJson.Decoded check(ScanEvent event) {
        String problem = ScanChecks.requiredProblem(event);
        if (problem != null) {
            return new ScanEventJson.Decoded(null, problem, event.getEventId(), event.getCode(), 0, 0);
        }
        long content = ScanEventJson.decode(ScanEventJson.encode(event)).content();
        int cleared = ScanChecks.clearInvalidOptional(event);
        event.setEventTime(Times.toMicros(event.getEventTime()));
        return new ScanEventJson.Decoded(event, null, event.getEventId(), event.getCode(), cleared, content);
    }

    /** Binary records are kept in dead letters as base64 text. */
    static String printable(byte[] bytes) {
        return "base64:" + Base64.getEncoder().encodeToString(bytes);
    }
}
