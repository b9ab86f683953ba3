package io.tracewatch.io.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tracewatch.io.codec.DeadLetterJson;
import io.tracewatch.io.codec.PatientRefs;
import io.tracewatch.io.codec.RawRecord;
import io.tracewatch.io.codec.ScanDecoder;
import io.tracewatch.io.codec.ScanEventAvro;
import io.tracewatch.io.codec.ScanEventJson;
import io.tracewatch.io.file.LineReader;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.testing.HostileRecords.Kind;
import io.tracewatch.testing.HostileRecords;
import java.io.ByteArrayInputStream;
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
    private static final String VALID = HostileRecords.VALID;
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
            byte[] record = HostileRecords.generate(kind, random, avro);
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
