package io.tracewatch.io.codec;

import io.tracewatch.io.codec.RawRecord;
import io.tracewatch.io.codec.ScanEventJson;
import io.tracewatch.io.codec.Utf8;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import io.tracewatch.savepoint.SavepointNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * The dead-letter output: records refused with a reason, never dropped silently. A dead letter
 * always fits in 64 KiB whatever the record held (contract v1.1): {@code raw} keeps at most the
 * first {@value #RAW_LIMIT_BYTES} bytes, with the full length and the digest of the whole record.
 */
public final class DeadLetters {
    /** Side output that every operator refusing a record writes to. */
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>(SavepointNames.DEAD_LETTERS_TAG, new AvroTypeInfo<>(DeadLetter.class));
    /** Most bytes of a record that its dead letter shows. */
    public static final int RAW_LIMIT_BYTES = 4096;
    /** What replaces the value of a record's patient_ref in {@code raw}. */
    public static final String REDACTED = "<redacted>";

    private static final int MAX_EVENT_ID_CHARS = 128;
    private static final int MAX_CODE_CHARS = 64;
    private static final String BASE64_PREFIX = "base64:";
    /** Bytes whose base64 form, after the prefix, stays within the raw limit. */
    private static final int MAX_BINARY_SHOWN = (RAW_LIMIT_BYTES - BASE64_PREFIX.length()) / 4 * 3;

    private DeadLetters() {}

    /**
     * A dead letter for a text record a source refused.
     *
     * @param shown the record's text as it may be shown: patient_ref redacted when it parsed as a
     *     JSON object, invalid UTF-8 as U+FFFD; cut here
     */
    public static DeadLetter ofText(String reason, RawRecord record, String shown, Origin origin, String eventId, String code) {
        String raw = Utf8.cut(shown, RAW_LIMIT_BYTES);
        return builder(reason, record, origin, eventId, code)
                .setRaw(raw)
                .setRawTruncated(record.oversized() || raw.length() < shown.length())
                .build();
    }

    /** A dead letter for a binary (Avro) record a source refused: its first bytes in base64. */
    public static DeadLetter ofBinary(String reason, RawRecord record, Origin origin, String eventId, String code) {
        byte[] bytes = record.bytes();
        boolean cut = bytes.length > MAX_BINARY_SHOWN;
        String raw = BASE64_PREFIX + Base64.getEncoder().encodeToString(cut ? Arrays.copyOf(bytes, MAX_BINARY_SHOWN) : bytes);
        return builder(reason, record, origin, eventId, code)
                .setRaw(raw)
                .setRawTruncated(cut || record.oversized())
                .build();
    }

    /** A dead letter for a decoded event that the detector refused, shown in its JSON form. */
    public static DeadLetter refused(String reason, Ingested scan) {
        return ofEvent(reason, scan.getEvent(), new Origin(scan.getSource(), scan.getArrival(), scan.getPartition()));
    }

    /** A dead letter for an event accepted earlier and now evicted; where it arrived is no longer known. */
    public static DeadLetter evicted(String reason, ScanEvent event) {
        return ofEvent(reason, event, new Origin("detector state", -1, null));
    }

    private static DeadLetter ofEvent(String reason, ScanEvent event, Origin origin) {
        ScanEvent shown = event;
        if (event.getPatientRef() != null) {
            shown = ScanEvent.newBuilder(event).setPatientRef(REDACTED).build();
        }
        String json = ScanEventJson.encode(shown);
        return ofText(reason, RawRecord.whole(json.getBytes(StandardCharsets.UTF_8)), json, origin, event.getEventId(), event.getCode());
    }

    private static DeadLetter.Builder builder(String reason, RawRecord record, Origin origin, String eventId, String code) {
        return DeadLetter.newBuilder()
                .setReason(reason)
                .setRawBytes(record.length())
                .setRawSha256(HexFormat.of().formatHex(record.sha256()))
                .setSource(origin.source())
                .setPosition(origin.position())
                .setPartition(origin.partition())
                .setEventId(eventId == null ? null : Utf8.firstCodePoints(eventId, MAX_EVENT_ID_CHARS))
                .setCode(code == null ? null : Utf8.firstCodePoints(code, MAX_CODE_CHARS))
                .setDetectedAt(Instant.now());
    }

    /**
     * Where a record came from.
     *
     * @param position 1-based line number, or Kafka offset
     * @param partition Kafka partition, or null
     */
    public record Origin(String source, long position, Integer partition) {}
}
