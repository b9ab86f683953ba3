package io.tracewatch.io.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tracewatch.model.EventType;
import io.tracewatch.model.PartyType;
import io.tracewatch.model.ScanEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
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
        static Decoded refused(String error, Fields fields, String shown) {
            return new Decoded(null, error, fields.eventId, fields.code, 0, 0, shown);
        }
    }

    /** Decodes one record, never throwing: every record ends as an event or as a reason. */
    public static Decoded decode(String line) {
        Fields fields = new Fields();
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
            fields.content = content;
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

    /** Values of the fields as read; types are checked here, values by {@link ScanChecks}. */
    private static final class Fields {
        /** Filled field by field: Avro's builder copies the schema's default of every field not set, on every record. */
        private final ScanEvent event = new ScanEvent();
        private String eventId;
        private String code;
        private Object eventIdRaw;
        private Object codeRaw;
        private Object eventType;
        private Object eventTime;
        private Object partyId;
        private Object partyType;
        private int invalid;
        private long content;
        /** Character ranges of the values of the record's patient_ref members, redacted in a dead letter. */
        private final List<long[]> patientRefSpans = new ArrayList<>(1);
        /** What a required field holds when its value is an object or an array. */
        private static final Object STRUCTURE = new Object();
        /** What a required field holds when its value is a number (a string is required). */
        private static final Object NUMBER = new Object();

        void read(String name, JsonParser parser) throws IOException {
            switch (name) {
                case "event_id" -> {
                    eventIdRaw = scalar(parser);
                    eventId = eventIdRaw instanceof String s ? s : null;
                }
                case "code" -> {
                    codeRaw = scalar(parser);
                    code = codeRaw instanceof String s ? s : null;
                }
                case "event_type" -> eventType = scalar(parser);
                case "event_time" -> eventTime = scalar(parser);
                case "party_id" -> partyId = scalar(parser);
                case "party_type" -> partyType = scalar(parser);
                case "region" -> event.setRegion(text(parser));
                case "lat" -> event.setLat(coordinate(parser));
                case "lon" -> event.setLon(coordinate(parser));
                case "counterparty_id" -> event.setCounterpartyId(text(parser));
                case "product_code" -> event.setProductCode(text(parser));
                case "batch" -> event.setBatch(text(parser));
                case "expiry_date" -> event.setExpiryDate(date(text(parser)));
                case "pack_size" -> event.setPackSize(wholeNumber(parser));
                case "quantity" -> event.setQuantity(wholeNumber(parser));
                case "transaction_id" -> event.setTransactionId(text(parser));
                case "patient_ref" -> event.setPatientRef(text(parser));
                default -> {
                    // not a contract field: it only counts towards the content fingerprint
                }
            }
        }

        /** A field whose value is an object or an array (already consumed): a required one has the wrong type, an optional one is invalid. */
        void structure(String name) {
            switch (name) {
                case "event_id" -> eventIdRaw = STRUCTURE;
                case "code" -> codeRaw = STRUCTURE;
                case "event_type" -> eventType = STRUCTURE;
                case "event_time" -> eventTime = STRUCTURE;
                case "party_id" -> partyId = STRUCTURE;
                case "party_type" -> partyType = STRUCTURE;
                case "lat" -> event.setLat(Double.NaN);
                case "lon" -> event.setLon(Double.NaN);
                case "region", "counterparty_id", "product_code", "batch", "expiry_date", "pack_size", "quantity",
                        "transaction_id" -> invalid++;
                case "patient_ref" -> {
                    invalid++;
                    event.setPatientRef(null);
                }
                default -> {
                    // not a contract field
                }
            }
        }

        void patientRefSpan(long start, long end) {
            patientRefSpans.add(new long[] {start, end});
        }

        /** The record with the value of each patient_ref member replaced (contract v1.1, dead letters). */
        String redacted(String line) {
            return replaceSpans(line, patientRefSpans);
        }

        /** A string or null as read; any other scalar is marked by its kind, since only its type matters. */
        private static Object scalar(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                return parser.getText();
            }
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            return token.isNumeric() ? NUMBER : Boolean.valueOf(token == JsonToken.VALUE_TRUE);
        }

        /** A string value within the field limit; anything else but null counts as invalid. */
        private String text(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                String value = parser.getText();
                if (withinFieldLimit(value)) {
                    return value;
                }
                invalid++;
                return null;
            }
            wrongType(parser);
            return null;
        }

        private Double number(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return parser.getDoubleValue();
            }
            wrongType(parser);
            return null;
        }

        /** A coordinate; one that is not a number is kept as NaN, so the location check counts the pair once. */
        private static Double coordinate(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return parser.getDoubleValue();
            }
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            return Double.NaN;
        }

        /** A whole number that fits an int (24 and 24.0 alike); zero and negatives are left to {@link ScanChecks}. */
        private Integer wholeNumber(JsonParser parser) throws IOException {
            Double value = number(parser);
            if (value == null) {
                return null;
            }
            if (value == Math.rint(value) && Math.abs(value) <= Integer.MAX_VALUE) {
                return value.intValue();
            }
            invalid++;
            return null;
        }

        /** yyyy-MM-dd in ASCII digits (contract v1.1: a full-width or Arabic-Indic digit makes it invalid). */
        private LocalDate date(String value) {
            if (value == null) {
                return null;
            }
            if (value.length() == 10 && value.charAt(4) == '-' && value.charAt(7) == '-') {
                int year = Times.asciiNumber(value, 0, 4);
                int month = Times.asciiNumber(value, 5, 2);
                int day = Times.asciiNumber(value, 8, 2);
                if ((year | month | day) >= 0) {
                    try {
                        return LocalDate.of(year, month, day);
                    } catch (java.time.DateTimeException e) {
                        // an impossible date such as 2028-02-30: counted below
                    }
                }
            }
            invalid++;
            return null;
        }

        private void wrongType(JsonParser parser) {
            if (parser.currentToken() != JsonToken.VALUE_NULL) {
                invalid++;
            }
        }

        Decoded build(String line) {
            String error = readRequired();
            if (error != null) {
                return Decoded.refused(error, this, redacted(line));
            }
            ScanEvent built = event;
            error = ScanChecks.requiredProblem(built);
            if (error != null) {
                return Decoded.refused(error, this, redacted(line));
            }
            int cleared = ScanChecks.clearInvalidOptional(built);
            return new Decoded(built, null, eventId, code, invalid + cleared, content, null);
        }

        private String readRequired() {
            String error;
            if ((error = requiredString(eventIdRaw, "event_id")) != null
                    || (error = requiredString(codeRaw, "code")) != null
                    || (error = requiredString(eventType, "event_type")) != null) {
                return error;
            }
            EventType type = enumValue(EventType.class, (String) eventType);
            if (type == null) {
                return "unknown event_type " + ScanChecks.quote((String) eventType);
            }
            if ((error = requiredString(eventTime, "event_time")) != null
                    || (error = readEventTime((String) eventTime)) != null
                    || (error = requiredString(partyId, "party_id")) != null
                    || (error = requiredString(partyType, "party_type")) != null) {
                return error;
            }
            PartyType party = enumValue(PartyType.class, (String) partyType);
            if (party == null) {
                return "unknown party_type " + ScanChecks.quote((String) partyType);
            }
            if (!withinFieldLimit((String) partyId)) {
                return "invalid party_id: more than " + MAX_FIELD_CODE_POINTS + " characters or not valid Unicode";
            }
            event.setEventId(eventId);
            event.setCode(code);
            event.setEventType(type);
            event.setPartyId((String) partyId);
            event.setPartyType(party);
            return null;
        }

        private String readEventTime(String text) {
            if (!Times.isAscii(text)) {
                return "malformed event_time " + ScanChecks.quote(text) + ": digits must be ASCII 0-9";
            }
            try {
                OffsetDateTime time = Times.parseOffsetDateTime(text);
                event.setEventTime(Times.toMicros(time.toInstant()));
                event.setEventTimeOffsetS(time.getOffset().getTotalSeconds());
                return null;
            } catch (DateTimeParseException | ArithmeticException e) {
                if (parsesAsLocal(text)) {
                    return "malformed event_time (no offset)";
                }
                return "malformed event_time " + ScanChecks.quote(text) + ": not an ISO-8601 instant with offset";
            }
        }

        private static boolean parsesAsLocal(String text) {
            try {
                LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }

        private static String requiredString(Object value, String field) {
            if (value == null) {
                return "missing " + field;
            }
            return value instanceof String ? null : field + " must be a string";
        }

        private static <E extends Enum<E>> E enumValue(Class<E> type, String name) {
            try {
                return Enum.valueOf(type, name);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
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

    private static String replaceSpans(String text, List<long[]> spans) {
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
