package io.tracewatch.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
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
import java.util.regex.Pattern;

/**
 * The JSON Lines form of a scan event (contract, "Scan event"), both ways. Decoding never throws:
 * a record that breaks a required field comes back as an error with the reason; an invalid
 * optional field is read as absent and counted.
 */
public final class ScanEventJson {
    static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Pattern CODE = Pattern.compile("[0-9A-Za-z]{8,64}");
    private static final Pattern REGION = Pattern.compile("[0-9]{6}");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final int MAX_EVENT_ID_LENGTH = 128;
    private static final int MAX_QUOTED_LENGTH = 40;
    private static final int MIN_YEAR = 1970;
    private static final int MAX_YEAR = 9999;

    private ScanEventJson() {}

    /** A decoded line: the event, or the reason it was refused (with whatever ids could be read). */
    public record Decoded(ScanEvent event, String error, String eventId, String code, int invalidOptionalFields) {
        static Decoded refused(String error, Fields fields) {
            return new Decoded(null, error, fields.eventId, fields.code, 0);
        }
    }

    public static Decoded decode(String line) {
        Fields fields = new Fields();
        try (JsonParser parser = JSON.createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Decoded.refused("invalid JSON: not an object", fields);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                fields.read(name, parser);
            }
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

    /** Raw values of the fields as read, before validation. */
    private static final class Fields {
        private final ScanEvent.Builder event = ScanEvent.newBuilder();
        private String eventId;
        private String code;
        private Object eventType;
        private Object eventTime;
        private Object partyId;
        private Object partyType;
        private Object eventIdRaw;
        private Object codeRaw;
        private int invalid;
        private boolean invalidCoordinate;

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
                case "region" -> event.setRegion(checked(text(parser), REGION));
                case "lat" -> event.setLat(coordinate(parser, 90));
                case "lon" -> event.setLon(coordinate(parser, 180));
                case "counterparty_id" -> event.setCounterpartyId(text(parser));
                case "product_code" -> event.setProductCode(text(parser));
                case "batch" -> event.setBatch(text(parser));
                case "expiry_date" -> event.setExpiryDate(date(text(parser)));
                case "pack_size" -> event.setPackSize(positiveInt(parser));
                case "quantity" -> event.setQuantity(positiveInt(parser));
                case "transaction_id" -> event.setTransactionId(text(parser));
                case "patient_ref" -> event.setPatientRef(text(parser));
                default -> parser.skipChildren();
            }
        }

        /** A string, a number or a boolean as read; null for JSON null; a marker for objects and arrays. */
        private static Object scalar(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                return parser.getText();
            }
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token.isStructStart()) {
                parser.skipChildren();
                return token == JsonToken.START_OBJECT ? "{...}" : "[...]";
            }
            return token.isNumeric() ? parser.getNumberValue() : parser.getBooleanValue();
        }

        private String text(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                String text = parser.getText();
                return text.isEmpty() ? null : text;
            }
            if (token != JsonToken.VALUE_NULL) {
                parser.skipChildren();
                invalid++;
            }
            return null;
        }

        private String checked(String value, Pattern pattern) {
            if (value != null && !pattern.matcher(value).matches()) {
                invalid++;
                return null;
            }
            return value;
        }

        private LocalDate date(String value) {
            if (value == null) {
                return null;
            }
            try {
                if (DATE.matcher(value).matches()) {
                    return LocalDate.parse(value, DateTimeFormatter.ISO_LOCAL_DATE);
                }
            } catch (DateTimeParseException e) {
                // falls through: counted as invalid below
            }
            invalid++;
            return null;
        }

        private Double coordinate(JsonParser parser, double limit) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                double value = parser.getDoubleValue();
                if (Double.isFinite(value) && Math.abs(value) <= limit) {
                    return value;
                }
            } else {
                parser.skipChildren();
            }
            invalid++;
            invalidCoordinate = true;
            return null;
        }

        private Integer positiveInt(JsonParser parser) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                double value = parser.getDoubleValue();
                if (value >= 1 && value <= Integer.MAX_VALUE && value == Math.rint(value)) {
                    return (int) value;
                }
            } else {
                parser.skipChildren();
            }
            invalid++;
            return null;
        }

        Decoded build() {
            String error = validateRequired();
            if (error != null) {
                return Decoded.refused(error, this);
            }
            if (event.getLat() == null ^ event.getLon() == null) {
                // half a location is no location; counted once, with the invalid half if there was one
                if (!invalidCoordinate) {
                    invalid++;
                }
                event.setLat(null).setLon(null);
            }
            return new Decoded(event.build(), null, eventId, code, invalid);
        }

        private String validateRequired() {
            String error = requiredString(eventIdRaw, "event_id");
            if (error != null) {
                return error;
            }
            if (eventId.isEmpty() || eventId.length() > MAX_EVENT_ID_LENGTH) {
                return "invalid event_id: must be 1-" + MAX_EVENT_ID_LENGTH + " characters";
            }
            if ((error = requiredString(codeRaw, "code")) != null) {
                return error;
            }
            if (!CODE.matcher(code).matches()) {
                return "invalid code " + quote(code) + ": must be 8-64 characters of [0-9A-Za-z]";
            }
            if ((error = requiredString(eventType, "event_type")) != null) {
                return error;
            }
            EventType type = enumValue(EventType.class, (String) eventType);
            if (type == null) {
                return "unknown event_type " + quote((String) eventType);
            }
            if ((error = requiredString(eventTime, "event_time")) != null) {
                return error;
            }
            if ((error = readEventTime((String) eventTime)) != null) {
                return error;
            }
            if ((error = requiredString(partyId, "party_id")) != null) {
                return error;
            }
            if (((String) partyId).isBlank()) {
                return "invalid party_id: empty";
            }
            if ((error = requiredString(partyType, "party_type")) != null) {
                return error;
            }
            PartyType party = enumValue(PartyType.class, (String) partyType);
            if (party == null) {
                return "unknown party_type " + quote((String) partyType);
            }
            event.setEventId(eventId).setCode(code).setEventType(type).setPartyId((String) partyId).setPartyType(party);
            return null;
        }

        private String readEventTime(String text) {
            try {
                OffsetDateTime time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                if (time.getYear() < MIN_YEAR || time.getYear() > MAX_YEAR) {
                    return "event_time " + quote(text) + " out of range (years " + MIN_YEAR + "-" + MAX_YEAR + ")";
                }
                event.setEventTime(Times.toMicros(time.toInstant()))
                        .setEventTimeOffsetS(time.getOffset().getTotalSeconds());
                return null;
            } catch (DateTimeParseException e) {
                if (parsesAsLocal(text)) {
                    return "malformed event_time (no offset)";
                }
                return "malformed event_time " + quote(text) + ": not an ISO-8601 instant with offset";
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

    static String quote(String text) {
        return text.length() <= MAX_QUOTED_LENGTH ? text : text.substring(0, MAX_QUOTED_LENGTH) + "...";
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
