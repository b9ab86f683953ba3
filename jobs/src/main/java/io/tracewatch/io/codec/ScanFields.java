package io.tracewatch.io.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracewatch.model.EventType;
import io.tracewatch.model.PartyType;
import io.tracewatch.model.ScanEvent;
import java.io.IOException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one scan record as {@link ScanEventJson} reads them: types are checked here, values
 * by {@link ScanChecks}.
 */
final class ScanFields {
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

    String eventId() {
        return eventId;
    }

    String code() {
        return code;
    }

    /** The fingerprint of the record's JSON value, worked out as it was read. */
    void content(long content) {
        this.content = content;
    }

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
        return ScanEventJson.replaceSpans(line, patientRefSpans);
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
            if (ScanEventJson.withinFieldLimit(value)) {
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

    ScanEventJson.Decoded build(String line) {
        String error = readRequired();
        if (error != null) {
            return ScanEventJson.Decoded.refused(error, this, redacted(line));
        }
        ScanEvent built = event;
        error = ScanChecks.requiredProblem(built);
        if (error != null) {
            return ScanEventJson.Decoded.refused(error, this, redacted(line));
        }
        int cleared = ScanChecks.clearInvalidOptional(built);
        return new ScanEventJson.Decoded(built, null, eventId, code, invalid + cleared, content, null);
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
        if (!ScanEventJson.withinFieldLimit((String) partyId)) {
            return "invalid party_id: more than " + ScanEventJson.MAX_FIELD_CODE_POINTS + " characters or not valid Unicode";
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
