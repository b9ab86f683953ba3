package io.tracewatch.io.codec;

import static io.tracewatch.io.codec.ScanEventJson.textField;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.model.VerifyRequest;
import io.tracewatch.model.internal.Ingested;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Verification requests as they arrive: {@code {request_id, code, requested_by, reason}}, keyed by
 * code so that they meet the code's state in the detector. A record that is not one becomes a dead
 * letter with the reason; none is dropped.
 */
public final class VerifyRequests {
    private static final ObjectMapper JSON = new ObjectMapper(ScanEventJson.JSON);
    private static final int MAX_BYTES = 16 * 1024;

    private VerifyRequests() {}

    public static Ingested decode(byte[] value, DeadLetters.Origin origin) {
        Ingested.Builder record = Ingested.newBuilder()
                .setSource(origin.source())
                .setArrival(origin.position())
                .setPartition(origin.partition());
        RawRecord raw = RawRecord.whole(value);
        String problem;
        VerifyRequest request = null;
        String text = Utf8.decodeStrict(value);
        if (value.length > MAX_BYTES) {
            problem = "verification request too large: " + value.length + " bytes";
        } else if (text == null) {
            problem = "invalid UTF-8";
        } else {
            try {
                request = parse(JSON.readTree(text));
                problem = null;
            } catch (IllegalArgumentException e) {
                problem = "invalid verification request: " + e.getMessage();
            } catch (IOException e) {
                problem = "invalid verification request: not JSON";
            }
        }
        if (problem != null) {
            String shown = text == null ? Utf8.decodeLenient(value) : text;
            return record.setDeadLetter(DeadLetters.ofText(problem, raw, shown, origin, null, null)).build();
        }
        return record.setRequest(request).build();
    }

    static VerifyRequest parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String code = textField(node, "code", true);
        if (!ScanChecks.isCode(code)) {
            throw new IllegalArgumentException("code " + ScanChecks.quote(code) + " is not 8-64 characters of [0-9A-Za-z]");
        }
        return VerifyRequest.newBuilder()
                .setRequestId(textField(node, "request_id", true))
                .setCode(code)
                .setRequestedBy(textField(node, "requested_by", true))
                .setReason(textField(node, "reason", false))
                .build();
    }

    /** One JSON request for tests and the verify command. */
    public static byte[] encode(VerifyRequest request) {
        return RecordJson.encode(request).getBytes(StandardCharsets.UTF_8);
    }
}
