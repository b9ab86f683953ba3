package io.tracewatch.io.codec;

import static io.tracewatch.io.codec.ScanEventJson.textField;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracewatch.model.PartyRecord;
import io.tracewatch.model.PartyStatus;
import io.tracewatch.model.PartyType;
import io.tracewatch.model.RecallRecord;
import io.tracewatch.model.RecallStatus;
import io.tracewatch.model.SettingsRecord;
import io.tracewatch.model.Severity;
import io.tracewatch.model.internal.ReferenceRecord;
import io.tracewatch.rules.RuleId;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Party records, rule settings records (contract reference-data.md) and recall records
 * (lifecycle.md) as they arrive. A record that breaks the table in any field, optional ones
 * included, goes whole to the dead-letter output with the reason: a broken licence date must not
 * widen a licence.
 */
public final class ReferenceJson {
    private static final ObjectMapper JSON = new ObjectMapper(ScanEventJson.JSON);
    private static final int MAX_BYTES = 64 * 1024;

    private ReferenceJson() {}

    /** What kind of reference record a source holds. */
    public enum Kind {
        PARTY("party record"), SETTINGS("settings record"), RECALL("recall record");

        private final String what;

        Kind(String what) {
            this.what = what;
        }

        /** What one record of the kind is called: "party record". */
        public String what() {
            return what;
        }
    }

    private static final int MAX_RECALL_ID_CHARS = 128;
    private static final int MAX_PRODUCT_CODE_CHARS = 64;
    private static final int MAX_BATCHES = 1000;
    private static final int MAX_BATCH_CHARS = 128;

    public static ReferenceRecord decode(Kind kind, byte[] value, DeadLetters.Origin origin) {
        RawRecord raw = RawRecord.whole(value);
        String text = Utf8.decodeStrict(value);
        String problem;
        ReferenceRecord.Builder record = ReferenceRecord.newBuilder();
        if (value.length > MAX_BYTES) {
            problem = "record too large: " + value.length + " bytes";
        } else if (text == null) {
            problem = "invalid UTF-8";
        } else {
            try {
                JsonNode node = JSON.readTree(text);
                if (node == null || !node.isObject()) {
                    throw new IllegalArgumentException("not a JSON object");
                }
                switch (kind) {
                    case PARTY -> record.setParty(party(node));
                    case SETTINGS -> record.setSettings(settings(node));
                    case RECALL -> record.setRecall(recall(node));
                }
                return record.build();
            } catch (IllegalArgumentException e) {
                problem = "invalid " + kind.what + ": " + e.getMessage();
            } catch (IOException e) {
                problem = "invalid JSON";
            }
        }
        String shown = text == null ? Utf8.decodeLenient(value) : text;
        return record.setDeadLetter(DeadLetters.ofText(problem, raw, shown, origin, null, null)).build();
    }

    static PartyRecord party(JsonNode node) {
        String region = textField(node, "region", true);
        if (!ScanChecks.isRegion(region)) {
            throw new IllegalArgumentException("region must be 6 ASCII digits");
        }
        Double lat = number(node, "lat");
        Double lon = number(node, "lon");
        if (lat != null && Math.abs(lat) > 90 || lon != null && Math.abs(lon) > 180) {
            throw new IllegalArgumentException("lat or lon out of range");
        }
        return PartyRecord.newBuilder()
                .setPartyId(textField(node, "party_id", true))
                .setVersionTime(instant(node, "version_time"))
                .setPartyType(symbol(node, "party_type", PartyType.class))
                .setRegion(region)
                .setName(textField(node, "name", false))
                .setLat(lat)
                .setLon(lon)
                .setStatus(symbol(node, "status", PartyStatus.class))
                .setLicenceNo(textField(node, "licence_no", false))
                .setLicenceValidFrom(date(node, "licence_valid_from"))
                .setLicenceValidTo(date(node, "licence_valid_to"))
                .build();
    }

    static SettingsRecord settings(JsonNode node) {
        Double speed = number(node, "max_speed_kmh");
        if (speed != null && !(speed > 0)) {
            throw new IllegalArgumentException("max_speed_kmh must be positive");
        }
        Double slack = number(node, "location_slack_km");
        if (slack != null && !(slack >= 0)) {
            throw new IllegalArgumentException("location_slack_km must not be negative");
        }
        Map<String, Severity> severity = null;
        JsonNode levels = node.get("severity");
        if (levels != null && !levels.isNull()) {
            if (!levels.isObject()) {
                throw new IllegalArgumentException("severity must be an object of RULE: LEVEL");
            }
            severity = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = levels.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                rule(entry.getKey());
                if (!entry.getValue().isTextual()) {
                    throw new IllegalArgumentException("severity of " + entry.getKey() + " must be LOW, MEDIUM, HIGH or CRITICAL");
                }
                try {
                    severity.put(entry.getKey(), Severity.valueOf(entry.getValue().textValue()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("severity of " + entry.getKey() + " must be LOW, MEDIUM, HIGH or CRITICAL");
                }
            }
        }
        List<String> enabled = null;
        JsonNode rules = node.get("rules_enabled");
        if (rules != null && !rules.isNull()) {
            if (!rules.isArray()) {
                throw new IllegalArgumentException("rules_enabled must be an array of rule names");
            }
            enabled = new ArrayList<>();
            for (JsonNode rule : rules) {
                if (!rule.isTextual()) {
                    throw new IllegalArgumentException("rules_enabled must be an array of rule names");
                }
                rule(rule.textValue());
                enabled.add(rule.textValue());
            }
        }
        return SettingsRecord.newBuilder()
                .setSettingsId(textField(node, "settings_id", true))
                .setVersionTime(instant(node, "version_time"))
                .setMaxSpeedKmh(speed)
                .setLocationSlackKm(slack)
                .setSeverity(severity)
                .setRulesEnabled(enabled)
                .setActor(textField(node, "actor", true))
                .setNote(textField(node, "note", false))
                .build();
    }

    static RecallRecord recall(JsonNode node) {
        String recallId = limited(node, "recall_id", true, MAX_RECALL_ID_CHARS);
        String product = limited(node, "product_code", true, MAX_PRODUCT_CODE_CHARS);
        List<String> batches = null;
        JsonNode listed = node.get("batches");
        if (listed != null && !listed.isNull()) {
            if (!listed.isArray() || listed.isEmpty() || listed.size() > MAX_BATCHES) {
                throw new IllegalArgumentException("batches must be an array of 1-" + MAX_BATCHES + " batch names, or absent for every batch");
            }
            batches = new ArrayList<>(listed.size());
            for (JsonNode batch : listed) {
                if (!batch.isTextual() || batch.textValue().isEmpty() || batch.textValue().codePointCount(0, batch.textValue().length()) > MAX_BATCH_CHARS) {
                    throw new IllegalArgumentException("each batch must be a string of 1-" + MAX_BATCH_CHARS + " characters");
                }
                batches.add(batch.textValue());
            }
        }
        JsonNode level = node.get("level");
        if (level == null || !level.isIntegralNumber() || level.asInt() < 1 || level.asInt() > 3) {
            throw new IllegalArgumentException("level must be 1, 2 or 3");
        }
        return RecallRecord.newBuilder()
                .setRecallId(recallId)
                .setVersionTime(instant(node, "version_time"))
                .setProductCode(product)
                .setBatches(batches)
                .setLevel(level.asInt())
                .setStatus(symbol(node, "status", RecallStatus.class))
                .setIssuedBy(textField(node, "issued_by", false))
                .setNote(textField(node, "note", false))
                .build();
    }

    /** A text field of at most {@code maxChars} characters (code points), not empty when required. */
    private static String limited(JsonNode node, String field, boolean required, int maxChars) {
        String text = textField(node, field, required);
        if (text != null && (text.isEmpty() || text.codePointCount(0, text.length()) > maxChars)) {
            throw new IllegalArgumentException(field + " must be 1-" + maxChars + " characters");
        }
        return text;
    }

    private static void rule(String name) {
        try {
            RuleId.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown rule " + ScanChecks.quote(name));
        }
    }

    private static Double number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw new IllegalArgumentException(field + " must be a number");
        }
        return value.doubleValue();
    }

    private static Instant instant(JsonNode node, String field) {
        String text = textField(node, field, true);
        if (!Times.isAscii(text)) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 instant with offset, in ASCII digits");
        }
        try {
            Instant instant = Times.toMicros(Times.parseOffsetDateTime(text).toInstant());
            if (instant.getEpochSecond() < 0 || instant.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
                throw new IllegalArgumentException(field + " out of range (years 1970-9999)");
            }
            return instant;
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 instant with offset");
        }
    }

    private static LocalDate date(JsonNode node, String field) {
        String text = textField(node, field, false);
        if (text == null) {
            return null;
        }
        if (text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
            int year = Times.asciiNumber(text, 0, 4);
            int month = Times.asciiNumber(text, 5, 2);
            int day = Times.asciiNumber(text, 8, 2);
            if ((year | month | day) >= 0) {
                try {
                    return LocalDate.of(year, month, day);
                } catch (java.time.DateTimeException e) {
                    // an impossible date: refused below
                }
            }
        }
        throw new IllegalArgumentException(field + " must be a yyyy-MM-dd date");
    }

    private static <E extends Enum<E>> E symbol(JsonNode node, String field, Class<E> type) {
        String text = textField(node, field, true);
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown " + field + " " + ScanChecks.quote(text));
        }
    }
}
