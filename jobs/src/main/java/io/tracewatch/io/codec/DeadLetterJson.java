package io.tracewatch.io.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracewatch.model.DeadLetter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** The JSON Lines form of a dead letter. */
public final class DeadLetterJson {
    private DeadLetterJson() {}

    public static String encode(DeadLetter letter) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = ScanEventJson.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("reason", letter.getReason());
            g.writeStringField("source", letter.getSource());
            g.writeNumberField("position", letter.getPosition());
            if (letter.getPartition() != null) {
                g.writeNumberField("partition", letter.getPartition());
            }
            if (letter.getEventId() != null) {
                g.writeStringField("event_id", letter.getEventId());
            }
            if (letter.getCode() != null) {
                g.writeStringField("code", letter.getCode());
            }
            g.writeStringField("detected_at", Times.isoUtc(letter.getDetectedAt()));
            g.writeStringField("raw", letter.getRaw());
            g.writeNumberField("raw_bytes", letter.getRawBytes());
            g.writeStringField("raw_sha256", letter.getRawSha256());
            g.writeBooleanField("raw_truncated", letter.getRawTruncated());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
