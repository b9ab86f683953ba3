package io.tracewatch.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Hostile records of every class the contract's "Limits and hostile input (v1.1)" names, generated
 * from a seed: random bytes, truncated JSON, wrong types, missing fields, foreign digits, odd
 * numbers, invalid UTF-8, control characters, long lines, deep nesting, mutated Avro, and valid
 * variants beside them.
 */
public final class HostileRecords {
    private HostileRecords() {}

    public static final String VALID = "{\"event_id\":\"e-000017\",\"code\":\"81234560000000123456\",\"event_type\":\"RECEIVE\","
            + "\"event_time\":\"2026-03-02T09:15:00+08:00\",\"party_id\":\"PH-120101-0042\",\"party_type\":\"PHARMACY\","
            + "\"region\":\"120101\",\"lat\":39.117,\"lon\":117.21,\"counterparty_id\":\"DS-120000-0007\",\"product_code\":\"8123456\","
            + "\"batch\":\"B2603\",\"expiry_date\":\"2028-02-29\",\"pack_size\":24,\"quantity\":2,\"transaction_id\":\"T-1\","
            + "\"patient_ref\":\"P-77\"}";
    private static final String[] FIELDS = {"event_id", "code", "event_type", "event_time", "party_id", "party_type", "region", "lat",
        "lon", "counterparty_id", "product_code", "batch", "expiry_date", "pack_size", "quantity", "transaction_id", "patient_ref"};
    private static final String[] DIGIT_FIELDS = {"event_time", "expiry_date", "region", "code", "pack_size", "quantity", "lat", "lon"};
    /** Zeros of other digit systems: full-width, Arabic-Indic, Devanagari, Bengali, Thai, mathematical bold. */
    private static final int[] ZEROS = {0xFF10, 0x0660, 0x0966, 0x09E6, 0x0E50, 0x1D7CE};
    private static final String[] ODD_NUMBERS = {"NaN", "Infinity", "-Infinity", "1e400", "-1e400", "-0", "-0.0", "1e-400", "0x10",
        "01", "1.", ".5", "+1", "9".repeat(400), "1e99999999999999999999"};

    public enum Kind {
        RANDOM_BYTES, TRUNCATED_JSON, WRONG_TYPE, MISSING_FIELD, FOREIGN_DIGITS, ODD_NUMBER, INVALID_UTF8, CONTROL_CHARACTERS,
        LONG_LINE, DEEP_NESTING, AVRO_MUTATED, VALID_VARIANT
    }

    public static byte[] generate(Kind kind, Random random, byte[] avro) {
        return switch (kind) {
            case RANDOM_BYTES -> randomBytes(random, random.nextInt(300));
            case TRUNCATED_JSON -> utf8(VALID.substring(0, random.nextInt(VALID.length())));
            case WRONG_TYPE -> utf8(replace(VALID, pick(random, FIELDS),
                    pick(random, new String[] {"17", "true", "null", "[]", "{}", "\"\"", "[\"x\"]", "{\"a\":1}", "-1", "2.5"})));
            case MISSING_FIELD -> utf8(remove(VALID, pick(random, FIELDS)));
            case FOREIGN_DIGITS -> utf8(foreignDigits(random));
            case ODD_NUMBER -> utf8(replace(VALID, pick(random, new String[] {"lat", "lon", "pack_size", "quantity"}), pick(random, ODD_NUMBERS)));
            case INVALID_UTF8 -> invalidUtf8(random);
            case CONTROL_CHARACTERS -> controlCharacters(random);
            case LONG_LINE -> longLine(random);
            case DEEP_NESTING -> utf8(replace(VALID, "deep", nested(random, 28 + random.nextInt(13))));
            case AVRO_MUTATED -> mutate(random, avro);
            case VALID_VARIANT -> utf8(validVariant(random));
        };
    }

    /** A value nested {@code depth} levels deep, of arrays and objects mixed: with the record object, one level more. */
    private static String nested(Random random, int depth) {
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (random.nextBoolean()) {
                open.append('[');
                close.insert(0, ']');
            } else {
                open.append("{\"a\":");
                close.insert(0, '}');
            }
        }
        return open + "1" + close;
    }

    private static String foreignDigits(Random random) {
        String field = pick(random, DIGIT_FIELDS);
        int zero = ZEROS[random.nextInt(ZEROS.length)];
        String value = switch (field) {
            case "event_time" -> "\"2026-03-02T09:15:00+08:00\"";
            case "expiry_date" -> "\"2028-02-29\"";
            case "region" -> "\"120101\"";
            case "code" -> "\"81234560000000123456\"";
            default -> "24";
        };
        StringBuilder foreign = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9' && random.nextBoolean()) {
                foreign.appendCodePoint(zero + (c - '0'));
            } else {
                foreign.append(c);
            }
        }
        String text = foreign.toString();
        // numbers of other digits are not JSON numbers: sent as strings
        return replace(VALID, field, text.startsWith("\"") ? text : "\"" + text + "\"");
    }

    private static byte[] invalidUtf8(Random random) {
        byte[][] broken = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0x80},
            {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        byte[] bad = broken[random.nextInt(broken.length)];
        byte[] valid = utf8(VALID);
        int at = 1 + random.nextInt(valid.length - 2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(valid, 0, at);
        out.writeBytes(bad);
        out.write(valid, at, valid.length - at);
        return out.toByteArray();
    }

    private static byte[] controlCharacters(Random random) {
        StringBuilder text = new StringBuilder();
        int n = 1 + random.nextInt(50);
        for (int i = 0; i < n; i++) {
            text.append((char) random.nextInt(0x20));
        }
        String field = pick(random, new String[] {"party_id", "batch", "event_id", "note"});
        return random.nextBoolean()
                ? utf8(replace(VALID, field, "\"" + text.toString().replace("\n", "") + "\""))
                : utf8(text.toString() + VALID);
    }

    private static byte[] longLine(Random random) {
        // mostly around the record limit, one in twenty up to 2 MB
        int size = 1024 + (random.nextInt(20) == 0 ? random.nextInt(2 * 1024 * 1024) : random.nextInt(80 * 1024));
        if (random.nextBoolean()) {
            // a record whose long field is valid JSON: over 1,024 characters, maybe over the record limit
            String value = "x".repeat(Math.min(size, 4 * 1024 * 1024));
            return utf8(replace(VALID, pick(random, new String[] {"batch", "party_id", "note", "patient_ref"}), "\"" + value + "\""));
        }
        byte[] line = new byte[size];
        java.util.Arrays.fill(line, (byte) 1);
        line[0] = '{';
        return line;
    }

    private static byte[] mutate(Random random, byte[] avro) {
        byte[] copy = avro.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            copy[10 + random.nextInt(copy.length - 10)] = (byte) random.nextInt(256);
        }
        if (random.nextInt(4) == 0) {
            return java.util.Arrays.copyOf(copy, random.nextInt(copy.length));
        }
        return copy;
    }

    private static String validVariant(Random random) {
        String line = VALID;
        if (random.nextBoolean()) {
            line = remove(line, pick(random, new String[] {"lat", "region", "batch", "quantity", "patient_ref"}));
        }
        if (random.nextBoolean()) {
            line = replace(line, "batch", "\"" + "批".repeat(random.nextInt(1024)) + "\"");
        }
        if (random.nextBoolean()) {
            line = replace(line, "event_time", "\"2026-03-02T01:15:00." + random.nextInt(1000) + "Z\"");
        }
        return random.nextBoolean() ? " " + line + "\t" : line;
    }

    private static String replace(String json, String field, String value) {
        if (json.contains("\"" + field + "\":")) {
            return json.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[^,}]*)", java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + value));
        }
        return json.substring(0, json.length() - 1) + ",\"" + field + "\":" + value + "}";
    }

    private static String remove(String json, String field) {
        return json.replaceFirst(",?\"" + field + "\":(\"[^\"]*\"|[^,}]*)", "").replace("{,", "{");
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
