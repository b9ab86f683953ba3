package io.tracewatch.io.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tracewatch.model.ScanEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON Lines form of a scan event (contract, "Scan event"), both ways. Decoding never throws:
 * a record that breaks a required field comes back as an error with the reason; an invalid
 * optional field is read as absent and counted.
 */
public final class ScanEventJson {
    /** Deepest JSON nesting a record may have; the record object is level 1 (contract v1.1). */
    static final int MAX_NESTING = 32;
    /** Longest string, in code points, that a contract field may hold; event_id and code have their own limits. */
    static final int MAX_FIELD_CODE_POINTS = 1024;
    static final int MAX_EVENT_ID_CODE_POINTS = 128;

    /**
     * Reads records and writes alerts. Reading: nesting is bounded as the contract says, and numbers,
     * names and strings may be as long as a record, so that a long value is an invalid value rather
     * than a parse failure.
     */
    static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private ScanEventJson() {}

    /**
     * A decoded record: the event, or the reason it was refused (with whatever ids could be read).
     *
     * @param content fingerprint of the record's JSON value ({@link JsonContent}): equal for a
     *     re-upload, different for a conflicting duplicate
     * @param shown for a refused record, its text as a dead letter may show it: with the value of
     *     patient_ref redacted when the record parsed as a JSON object, as it was otherwise
     */
    public record Decoded(ScanEvent event, String error, String eventId, String code, int invalidOptionalFields, long content, String shown) {
        static Decoded refused(String error, ScanFields fields, String shown) {
            return new Decoded(null, error, fields.eventId(), fields.code(), 0, 0, shown);
        }
    }

    /** Decodes one record, never throwing: every record ends as an event or as a reason. */
    public static Decoded decode(String line) {
        ScanFields fields = new ScanFields();
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Decoded.refused("invalid JSON: not an object", fields, line);
            }
            long content = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                long valueStart = parser.currentTokenLocation().getCharOffset();
                if (token.isStructStart()) {
                    content += JsonContent.field(name, JsonContent.structure(parser));
                    fields.structure(name);
                } else {
                    content += JsonContent.field(name, JsonContent.scalar(parser, token));
                    fields.read(name, parser);
                }
                if (name.equals("patient_ref")) {
                    fields.patientRefSpan(valueStart, parser.currentLocation().getCharOffset());
                }
            }
            fields.content(content);
            if (parser.nextToken() != null) {
                return Decoded.refused("invalid JSON: more than one value on the line", fields, redactPatientRef(line));
            }
        } catch (StreamConstraintsException e) {
            return Decoded.refused("invalid JSON: nested deeper than " + MAX_NESTING + " levels", fields, redactPatientRef(line));
        } catch (JsonProcessingException e) {
            return Decoded.refused("invalid JSON", fields, redactPatientRef(line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fields.build(line);
    }

    /**
     * The text of a record that does not parse, with the value after every {@code "patient_ref":}
     * replaced: a record that breaks off, is cut or holds invalid UTF-8 still shows no patient
     * reference, wherever the break is. Read by hand, since the text is not JSON.
     */
    static String redactPatientRef(String text) {
        List<long[]> spans = new ArrayList<>(1);
        String key = "\"patient_ref\"";
        int at = text.indexOf(key);
        while (at >= 0) {
            int i = skipSpaces(text, at + key.length());
            if (i < text.length() && text.charAt(i) == ':') {
                int start = skipSpaces(text, i + 1);
                int end = valueEnd(text, start);
                spans.add(new long[] {start, end});
                at = text.indexOf(key, end);
            } else {
                at = text.indexOf(key, at + key.length());
            }
        }
        return replaceSpans(text, spans);
    }

    private static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\r' || text.charAt(i) == '\n')) {
            i++;
        }
        return i;
    }

    /** Where a value that starts at {@code start} ends: after its closing quote, or at the next comma or brace; the end of the text when cut. */
    private static int valueEnd(String text, int start) {
        if (start < text.length() && text.charAt(start) == '"') {
            for (int i = start + 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    return i + 1;
                }
            }
            return text.length();
        }
        int i = start;
        while (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '}') {
            i++;
        }
        return i;
    }

    static String replaceSpans(String text, List<long[]> spans) {
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder shown = new StringBuilder(text.length());
        int from = 0;
        for (long[] span : spans) {
            shown.append(text, from, (int) span[0]).append('"').append(DeadLetters.REDACTED).append('"');
            from = (int) Math.min(span[1], text.length());
        }
        return shown.append(text, from, text.length()).toString();
    }

    /** At most {@value #MAX_FIELD_CODE_POINTS} code points, and writable as UTF-8. */
    static boolean withinFieldLimit(String value) {
        return (value.length() <= MAX_FIELD_CODE_POINTS || value.codePointCount(0, value.length()) <= MAX_FIELD_CODE_POINTS)
                && Utf8.isWellFormed(value);
    }

    /**
     * A text field of a small JSON record (register, settings, verification requests): absent or
     * null is null unless required; anything else must be non-blank text within the field limit.
     */
    static String textField(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException("missing " + field);
            }
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank() || !withinFieldLimit(value.textValue())) {
            throw new IllegalArgumentException(field + " must be a string of 1-" + MAX_FIELD_CODE_POINTS + " characters");
        }
        return value.textValue();
    }

    public static String encode(ScanEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator generator = JSON.createGenerator(out)) {
            write(generator, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Writes the event as one JSON object, fields in contract order, absent fields left out. */
    public static void write(JsonGenerator g, ScanEvent e) throws IOException {
        g.writeStartObject();
        g.writeStringField("event_id", e.getEventId());
        g.writeStringField("code", e.getCode());
        g.writeStringField("event_type", e.getEventType().name());
        g.writeStringField("event_time", Times.iso(e.getEventTime(), e.getEventTimeOffsetS()));
        g.writeStringField("party_id", e.getPartyId());
        g.writeStringField("party_type", e.getPartyType().name());
        optional(g, "region", e.getRegion());
        if (e.getLat() != null && e.getLon() != null) {
            g.writeNumberField("lat", e.getLat());
            g.writeNumberField("lon", e.getLon());
        }
        optional(g, "counterparty_id", e.getCounterpartyId());
        optional(g, "product_code", e.getProductCode());
        optional(g, "batch", e.getBatch());
        optional(g, "expiry_date", e.getExpiryDate() == null ? null : e.getExpiryDate().toString());
        if (e.getPackSize() != null) {
            g.writeNumberField("pack_size", e.getPackSize());
        }
        if (e.getQuantity() != null) {
            g.writeNumberField("quantity", e.getQuantity());
        }
        optional(g, "transaction_id", e.getTransactionId());
        optional(g, "patient_ref", e.getPatientRef());
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
