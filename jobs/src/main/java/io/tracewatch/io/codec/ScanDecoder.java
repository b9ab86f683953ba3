package io.tracewatch.io.codec;

import io.tracewatch.model.ScanEvent;
import io.tracewatch.model.internal.Ingested;
import java.io.Serializable;

/**
 * Turns one received record into what the pipeline ingests: a scan event, or a dead letter saying
 * why not. It never throws, whatever the bytes (contract v1.1, "Limits and hostile input"): a record
 * over {@code ingest.max_record_bytes} is refused unparsed, one that is not UTF-8 is refused, and
 * every dead letter fits in 64 KiB. A valid event's patient_ref is pseudonymised here, before
 * anything keeps it.
 */
public final class ScanDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxRecordBytes;
    private final PatientRefs patientRefs;

    /**
     * @param maxRecordBytes longest record accepted for parsing
     * @param patientRefs how patient_ref is pseudonymised
     */
    public ScanDecoder(int maxRecordBytes, PatientRefs patientRefs) {
        this.maxRecordBytes = maxRecordBytes;
        this.patientRefs = patientRefs;
    }

    /** The decoder the configuration asks for; the patient_ref key comes from a file or the environment, never the repository. */
    public static ScanDecoder of(IngestSettings settings) {
        return new ScanDecoder(settings.maxRecordBytes(), PatientRefs.of(settings));
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** A JSON record: a line without its line end, or a Kafka value. */
    public Ingested json(RawRecord record, DeadLetters.Origin origin) {
        try {
            return decodeJson(record, origin);
        } catch (RuntimeException e) {
            return undecodable(e, record, origin);
        }
    }

    private Ingested decodeJson(RawRecord record, DeadLetters.Origin origin) {
        if (record.oversized() || record.length() > maxRecordBytes) {
            return refused(DeadLetters.ofText(tooLarge(record), record, shown(Utf8.decodeHead(record.bytes())), origin, null, null), origin);
        }
        String text = Utf8.decodeStrict(record.bytes());
        if (text == null) {
            return refused(DeadLetters.ofText("invalid UTF-8", record, shown(Utf8.decodeLenient(record.bytes())), origin, null, null), origin);
        }
        ScanEventJson.Decoded decoded = ScanEventJson.decode(text);
        if (decoded.event() == null) {
            return refused(DeadLetters.ofText(decoded.error(), record, decoded.shown(), origin, decoded.eventId(), decoded.code()), origin);
        }
        return accepted(decoded, origin);
    }

    public Ingested json(byte[] value, DeadLetters.Origin origin) {
        return json(RawRecord.whole(value), origin);
    }

    /** An Avro single-object record (a Kafka value). */
    public Ingested avro(byte[] value, DeadLetters.Origin origin) {
        RawRecord record = RawRecord.whole(value);
        try {
            return decodeAvro(record, origin);
        } catch (RuntimeException e) {
            return refused(DeadLetters.ofBinary("undecodable: " + e.getClass().getSimpleName(), record, origin, null, null), origin);
        }
    }

    private Ingested decodeAvro(RawRecord record, DeadLetters.Origin origin) {
        byte[] value = record.bytes();
        if (value.length > maxRecordBytes) {
            return refused(DeadLetters.ofBinary(tooLarge(record), record, origin, null, null), origin);
        }
        ScanEventJson.Decoded decoded = ScanEventAvro.decode(value);
        if (decoded.event() == null) {
            return refused(DeadLetters.ofBinary(decoded.error(), record, origin, decoded.eventId(), decoded.code()), origin);
        }
        return accepted(decoded, origin);
    }

    /** An event already decoded from an Avro container file: checked like any other, shown as JSON when refused. */
    public Ingested event(ScanEvent event, DeadLetters.Origin origin) {
        ScanEventJson.Decoded decoded = ScanEventAvro.check(event);
        if (decoded.event() == null) {
            ScanEvent shown = event.getPatientRef() == null ? event : ScanEvent.newBuilder(event).setPatientRef(DeadLetters.REDACTED).build();
            String json = ScanEventJson.encode(shown);
            RawRecord record = RawRecord.whole(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return refused(DeadLetters.ofText(decoded.error(), record, json, origin, decoded.eventId(), decoded.code()), origin);
        }
        return accepted(decoded, origin);
    }

    /**
     * What a dead letter shows of a record refused before parsing: its text, with any patient_ref
     * value that a lenient read finds redacted, since no raw patient reference leaves tracewatch.
     */
    private static String shown(String text) {
        return ScanEventJson.redactPatientRef(text);
    }

    /** The last line of defence: a decoding bug refuses the record, it never stops the job. */
    private static Ingested undecodable(RuntimeException e, RawRecord record, DeadLetters.Origin origin) {
        String reason = "undecodable: " + e.getClass().getSimpleName();
        return refused(DeadLetters.ofText(reason, record, shown(Utf8.decodeHead(java.util.Arrays.copyOf(record.bytes(),
                Math.min(record.bytes().length, DeadLetters.RAW_LIMIT_BYTES)))), origin, null, null), origin);
    }

    private String tooLarge(RawRecord record) {
        return "record too large: " + record.length() + " bytes, over ingest.max_record_bytes " + maxRecordBytes;
    }

    private Ingested accepted(ScanEventJson.Decoded decoded, DeadLetters.Origin origin) {
        ScanEvent event = decoded.event();
        if (event.getPatientRef() != null) {
            event.setPatientRef(patientRefs.pseudonym(event.getPatientRef()));
        }
        Ingested accepted = ingested(origin);
        accepted.setEvent(event);
        accepted.setInvalidOptionalFields(decoded.invalidOptionalFields());
        accepted.setContent(decoded.content());
        return accepted;
    }

    /** Field by field, as for the event: Avro's builder would copy the default of each field not set. */
    private static Ingested ingested(DeadLetters.Origin origin) {
        Ingested ingested = new Ingested();
        ingested.setSource(origin.source());
        ingested.setArrival(origin.position());
        ingested.setPartition(origin.partition());
        return ingested;
    }

    private static Ingested refused(io.tracewatch.model.DeadLetter letter, DeadLetters.Origin origin) {
        Ingested refused = ingested(origin);
        refused.setDeadLetter(letter);
        return refused;
    }
}
