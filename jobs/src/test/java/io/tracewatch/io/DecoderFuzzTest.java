package io.tracewatch.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Hostile input against the decoders (contract v1.1, "Limits and hostile input"), with a fixed seed:
 * every record either decodes to a valid event that re-encodes and decodes to itself, or becomes
 * exactly one dead letter under 64 KiB; nothing is thrown and the heap stays bounded. The same
 * records go through the Kafka path (one value, one record) and the file path (line by line).
 *
 * <p>CI runs {@value #DEFAULT_RECORDS} records; a long run:
 * {@code mvn -pl jobs test -Dtest=DecoderFuzzTest -Dtracewatch.fuzz.records=10000000}.
 */
class DecoderFuzzTest {
    static final int DEFAULT_RECORDS = 100_000;
    private static final long SEED = 20261128L;
    private static final int DEAD_LETTER_LIMIT = 64 * 1024;
    private static final ScanDecoder DECODER = new ScanDecoder(65_536, PatientRefs.dropped());
    private static final String VALID = "{\"event_id\":\"e-000017\",\"code\":\"81234560000000123456\",\"event_type\":\"RECEIVE\","
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

    enum Kind {
        RANDOM_BYTES, TRUNCATED_JSON, WRONG_TYPE, MISSING_FIELD, FOREIGN_DIGITS, ODD_NUMBER, INVALID_UTF8, CONTROL_CHARACTERS,
        LONG_LINE, DEEP_NESTING, AVRO_MUTATED, VALID_VARIANT
    }

    @Test
    void everyRecordBecomesAValidEventOrOneSmallDeadLetter() {
        int records = Integer.getInteger("tracewatch.fuzz.records", DEFAULT_RECORDS);
        Random random = new Random(SEED);
        Map<Kind, int[]> outcomes = new TreeMap<>();
        long largestDeadLetter = 0;
        long heapBefore = usedHeapAfterGc();
        long peakHeap = 0;
        byte[] avro = ScanEventAvro.encode(DECODER.json(VALID.getBytes(StandardCharsets.UTF_8), origin(0)).getEvent());
        for (int i = 0; i < records; i++) {
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            byte[] record = generate(kind, random, avro);
            int[] counts = outcomes.computeIfAbsent(kind, k -> new int[2]);
            if (kind == Kind.AVRO_MUTATED) {
                largestDeadLetter = Math.max(largestDeadLetter, check(DECODER.avro(record, origin(i)), counts, record));
                continue;
            }
            largestDeadLetter = Math.max(largestDeadLetter, check(DECODER.json(record, origin(i)), counts, record));
            for (Ingested line : linesOf(record)) {
                largestDeadLetter = Math.max(largestDeadLetter, check(line, counts, record));
            }
            if (i % 20_000 == 0) {
                peakHeap = Math.max(peakHeap, usedHeapAfterGc());
            }
        }
        System.out.printf("fuzz: %,d records, seed %d; per class [events, dead letters]:%n", records, SEED);
        outcomes.forEach((kind, counts) -> System.out.printf("  %-18s %,8d %,8d%n", kind, counts[0], counts[1]));
        System.out.printf("  largest dead letter %,d bytes; heap after GC %,d -> peak %,d bytes%n", largestDeadLetter, heapBefore, peakHeap);

        assertThat(largestDeadLetter).isLessThan(DEAD_LETTER_LIMIT);
        assertThat(peakHeap - heapBefore).as("heap growth").isLessThan(256L << 20);
        assertThat(outcomes.get(Kind.VALID_VARIANT)[0]).as("valid variants accepted").isPositive();
    }

    /** One record's outcome: an event that round-trips, or a dead letter under the limit; returns the dead letter's size. */
    private static long check(Ingested outcome, int[] counts, byte[] record) {
        if ((outcome.getEvent() == null) == (outcome.getDeadLetter() == null)) {
            fail("neither or both an event and a dead letter for " + preview(record));
        }
        if (outcome.getEvent() != null) {
            counts[0]++;
            ScanEvent event = outcome.getEvent();
            String encoded = ScanEventJson.encode(event);
            ScanEventJson.Decoded again = ScanEventJson.decode(encoded);
            if (!event.equals(again.event())) {
                fail("event does not round-trip: " + encoded + " from " + preview(record));
            }
            assertThat(event.getPatientRef()).isNull();
            return 0;
        }
        counts[1]++;
        DeadLetter letter = outcome.getDeadLetter();
        int json = DeadLetterJson.encode(letter).getBytes(StandardCharsets.UTF_8).length;
        int binary = binarySize(letter);
        if (json >= DEAD_LETTER_LIMIT || binary >= DEAD_LETTER_LIMIT) {
            fail("dead letter of " + json + " bytes for " + preview(record));
        }
        assertThat(letter.getReason()).isNotBlank();
        assertThat(letter.getRawSha256()).hasSize(64);
        // a patient_ref member, however broken the record around it, shows no value
        assertThat(letter.getRaw()).doesNotContain("\"patient_ref\":\"P-77");
        return Math.max(json, binary);
    }

    private static int binarySize(DeadLetter letter) {
        try {
            ByteBuffer buffer = DeadLetter.getEncoder().encode(letter);
            return buffer.remaining();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Ingested> linesOf(byte[] record) {
        List<Ingested> lines = new ArrayList<>();
        try (LineReader reader = new LineReader(new ByteArrayInputStream(record), DECODER.maxRecordBytes(), 1)) {
            RawRecord raw;
            while ((raw = reader.next()) != null) {
                lines.add(DECODER.json(raw, new DeadLetters.Origin("fuzz", reader.lineNumber(), null)));
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return lines;
    }

    private static DeadLetters.Origin origin(long position) {
        return new DeadLetters.Origin("fuzz", position, 0);
    }

    static byte[] generate(Kind kind, Random random, byte[] avro) {
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

    private static String preview(byte[] record) {
        String text = new String(record, 0, Math.min(record.length, 200), StandardCharsets.UTF_8);
        return record.length + " bytes: " + text;
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
