package io.tracewatch.io.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The JSON Lines form of the records that cases.md defines (cases, leads, verifications), from
 * their Avro schemas: field names as the schema writes them (the contract's snake_case), enums as
 * their names, absent optional fields left out, and times as ISO-8601 in China Standard Time with
 * milliseconds, e.g. {@code 2026-03-04T09:15:00.000+08:00}.
 */
public final class RecordJson {
    private static final ObjectMapper MAPPER = new ObjectMapper(ScanEventJson.JSON);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final ZoneOffset CST = ZoneOffset.ofHours(8);

    /** Most bytes a field's name and punctuation take, in {@link #bytesAtMost}. */
    private static final int FIELD_JSON_BYTES = 64;
    /** Most bytes a value other than a string, record, array or map takes (a number, a time, an enum). */
    private static final int SCALAR_JSON_BYTES = 64;

    private RecordJson() {}

    /**
     * A bound on a record's size as JSON, here or in {@link AlertJson}, worked out without writing
     * it: a string character takes at most six bytes (an escape), any other value at most
     * {@value #SCALAR_JSON_BYTES}, a field's name and punctuation at most {@value #FIELD_JSON_BYTES}.
     * Nearly every record is far within its budget, and this tells so without encoding it.
     */
    public static long bytesAtMost(Object value) {
        if (value instanceof CharSequence text) {
            return 2 + 6L * text.length();
        }
        if (value instanceof SpecificRecord record) {
            long bytes = 2;
            for (Schema.Field field : record.getSchema().getFields()) {
                bytes += FIELD_JSON_BYTES + bytesAtMost(record.get(field.pos()));
            }
            return bytes;
        }
        if (value instanceof List<?> list) {
            long bytes = 2;
            for (Object item : list) {
                bytes += 1 + bytesAtMost(item);
            }
            return bytes;
        }
        if (value instanceof Map<?, ?> map) {
            long bytes = 2;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                bytes += 2 + bytesAtMost(entry.getKey().toString()) + bytesAtMost(entry.getValue());
            }
            return bytes;
        }
        return SCALAR_JSON_BYTES;
    }

    /** The record's size as {@link #encode} writes it, in UTF-8 bytes. */
    public static int encodedBytes(SpecificRecord record) {
        return encode(record).getBytes(StandardCharsets.UTF_8).length;
    }

    public static String time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, CST).format(TIME);
    }

    public static String encode(SpecificRecord record) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = ScanEventJson.JSON.createGenerator(out)) {
            write(g, record.getSchema(), record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Schema schema, Object value) throws IOException {
        switch (schema.getType()) {
            case RECORD -> {
                SpecificRecord record = (SpecificRecord) value;
                g.writeStartObject();
                for (Schema.Field field : schema.getFields()) {
                    Object fieldValue = record.get(field.pos());
                    if (fieldValue != null) {
                        g.writeFieldName(field.name());
                        write(g, field.schema(), fieldValue);
                    }
                }
                g.writeEndObject();
            }
            case UNION -> write(g, nonNull(schema), value);
            case ARRAY -> {
                g.writeStartArray();
                for (Object item : (Collection<?>) value) {
                    write(g, schema.getElementType(), item);
                }
                g.writeEndArray();
            }
            case MAP -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> entry : new java.util.TreeMap<>((Map<?, ?>) value).entrySet()) {
                    g.writeFieldName(entry.getKey().toString());
                    write(g, schema.getValueType(), entry.getValue());
                }
                g.writeEndObject();
            }
            case ENUM, STRING -> g.writeString(value.toString());
            case BOOLEAN -> g.writeBoolean((Boolean) value);
            case INT -> {
                if (value instanceof java.time.LocalDate date) {
                    g.writeString(date.toString());
                } else {
                    g.writeNumber(((Number) value).intValue());
                }
            }
            case DOUBLE, FLOAT -> g.writeNumber(((Number) value).doubleValue());
            case LONG -> {
                if (value instanceof Instant instant) {
                    g.writeString(time(instant));
                } else {
                    g.writeNumber(((Number) value).longValue());
                }
            }
            default -> throw new IllegalArgumentException("no JSON form for " + schema.getType());
        }
    }

    /**
     * Reads a record written by {@link #encode}.
     *
     * @throws IllegalArgumentException when the text is not such a record
     */
    public static <T extends SpecificRecord> T decode(String json, Class<T> type) {
        try {
            JsonNode node = MAPPER.readTree(json);
            Schema schema = SpecificData.get().getSchema(type);
            @SuppressWarnings("unchecked")
            T record = (T) read(schema, node);
            return record;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + " record: " + e.getMessage(), e);
        }
    }

    private static Object read(Schema schema, JsonNode node) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!node.isObject()) {
                    throw new IllegalArgumentException(schema.getName() + " must be an object");
                }
                SpecificRecord record = (SpecificRecord) SpecificData.get().newRecord(null, schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode value = node.get(field.name());
                    if (value == null || value.isNull()) {
                        Object fallback = field.hasDefaultValue() ? SpecificData.get().getDefaultValue(field) : null;
                        if (fallback == null && !isNullable(field.schema())) {
                            throw new IllegalArgumentException("missing " + field.name());
                        }
                        record.put(field.pos(), fallback);
                    } else {
                        record.put(field.pos(), read(field.schema(), value));
                    }
                }
                return record;
            }
            case UNION -> {
                return read(nonNull(schema), node);
            }
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                for (JsonNode item : node) {
                    items.add(read(schema.getElementType(), item));
                }
                return items;
            }
            case MAP -> {
                Map<String, Object> map = new HashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = fields.next();
                    map.put(entry.getKey(), read(schema.getValueType(), entry.getValue()));
                }
                return map;
            }
            case ENUM -> {
                return SpecificData.get().createEnum(node.asText(), schema);
            }
            case STRING -> {
                return node.asText();
            }
            case BOOLEAN -> {
                return node.asBoolean();
            }
            case INT -> {
                LogicalType logical = schema.getLogicalType();
                if (logical != null && logical.getName().equals("date")) {
                    return java.time.LocalDate.parse(node.asText());
                }
                return node.asInt();
            }
            case DOUBLE, FLOAT -> {
                return node.asDouble();
            }
            case LONG -> {
                LogicalType logical = schema.getLogicalType();
                if (logical != null && logical.getName().startsWith("timestamp")) {
                    return Times.toMicros(OffsetDateTime.parse(node.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
                }
                return node.asLong();
            }
            default -> throw new IllegalArgumentException("no JSON form for " + schema.getType());
        }
    }

    private static boolean isNullable(Schema schema) {
        return schema.getType() == Schema.Type.UNION && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static Schema nonNull(Schema union) {
        for (Schema branch : union.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        throw new IllegalArgumentException("union of nothing but null");
    }
}
