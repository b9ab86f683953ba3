package io.tracewatch.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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

/**
 * The JSON Lines form of a scan event (contract, "Scan event"), both ways. Decoding never throws:
 * a record that breaks a required field comes back as an error with the reason; an invalid
 * optional field is read as absent and counted.
 */
public final class ScanEventJson {
    static final JsonFactory JSON = new JsonFactory();

    private ScanEventJson() {}

    /** A decoded line: the event, or the reason it was refused (with whatever ids could be read). */
    /**
     * A decoded record: the event, or the reason it was refused (with whatever ids could be read).
     *
     * @param content fingerprint of the record's JSON value ({@link JsonContent}): equal for a
     *     re-upload, different for a conflicting duplicate
     */
    public record Decoded(ScanEvent event, String error, String eventId, String code, int invalidOptionalFields, long content) {
        static Decoded refused(String error, Fields fields) {
            return new Decoded(null, error, fields.eventId, fields.code, 0, 0);
        }
    }

    public static Decoded decode(String line) {
        Fields fields = new Fields();
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Decoded.refused("invalid JSON: not an object", fields);
            }
            long content = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if (token.isStructStart()) {
                    content += JsonContent.field(name, JsonContent.structure(parser));
                    fields.structure(name);
                } else {
                    content += JsonContent.field(name, JsonContent.scalar(parser, token));
                    fields.read(name, parser);
                }
            }
            fields.content = content;
            if (parser.nextToken() != null) {
                return Decoded.refused("invalid JSON: more than one value on the line", fields);
            }
        } catch (JsonProcessingException e) {
            return Decoded.refused("invalid JSON", fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fields.build();
    }

    /** Values of the fields as read; types are checked here, values by {@link ScanChecks}. */
    private static final class Fields {
        private final ScanEvent.Builder event = ScanEvent.newBuilder();
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
        /** What a required field holds when its value is an object or an array. */
        private static final Object STRUCTURE = new Object();

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
                        "transaction_id", "patient_ref" -> invalid++;
                default -> {
                    // not a contract field
                }
            }
        }

        /** A string, number or boolean as read; null for JSON null. */
        private static Object scalar(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                return parser.getText();
            }
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            return token.isNumeric() ? parser.getNumberValue() : parser.getBooleanValue();
        }

        /** A string value; anything else but null counts as invalid. */
        private String text(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                return parser.getText();
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

        private LocalDate date(String value) {
            if (value == null) {
                return null;
            }
            try {
                if (value.length() == 10 && value.charAt(4) == '-' && value.charAt(7) == '-'
                        && value.chars().filter(Character::isDigit).count() == 8) {
                    return LocalDate.of(Integer.parseInt(value, 0, 4, 10), Integer.parseInt(value, 5, 7, 10),
                            Integer.parseInt(value, 8, 10, 10));
                }
            } catch (java.time.DateTimeException | NumberFormatException e) {
                // an impossible date such as 2028-02-30, or not digits: counted below
            }
            invalid++;
            return null;
        }

        private void wrongType(JsonParser parser) {
            if (parser.currentToken() != JsonToken.VALUE_NULL) {
                invalid++;
            }
        }

        Decoded build() {
            String error = readRequired();
            if (error != null) {
                return Decoded.refused(error, this);
            }
            ScanEvent built = event.build();
            error = ScanChecks.requiredProblem(built);
            if (error != null) {
                return Decoded.refused(error, this);
            }
            int cleared = ScanChecks.clearInvalidOptional(built);
            return new Decoded(built, null, eventId, code, invalid + cleared, content);
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
            event.setEventId(eventId).setCode(code).setEventType(type).setPartyId((String) partyId).setPartyType(party);
            return null;
        }

        private String readEventTime(String text) {
            try {
                OffsetDateTime time = Times.parseOffsetDateTime(text);
                event.setEventTime(Times.toMicros(time.toInstant()))
                        .setEventTimeOffsetS(time.getOffset().getTotalSeconds());
                return null;
            } catch (DateTimeParseException e) {
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
