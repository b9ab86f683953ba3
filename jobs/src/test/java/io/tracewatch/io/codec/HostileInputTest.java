package io.tracewatch.io.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.io.codec.PatientRefs;
import io.tracewatch.io.codec.RawRecord;
import io.tracewatch.io.codec.ScanDecoder;
import io.tracewatch.io.file.LineReader;
import io.tracewatch.model.DeadLetter;
import io.tracewatch.model.internal.Ingested;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's "Limits and hostile input (normative, v1.1)", sentence by sentence. */
class HostileInputTest {
    private static final ScanDecoder DECODER = new ScanDecoder(65_536, PatientRefs.dropped());
    private static final String VALID = "{\"event_id\":\"h-1\",\"code\":\"86123459999999990001\",\"event_type\":\"COMMISSION\","
            + "\"event_time\":\"2026-03-02T08:30:00+08:00\",\"party_id\":\"MF-120113-0002\",\"party_type\":\"MANUFACTURER\"}";

    private static Ingested decode(String line) {
        return decode(line.getBytes(StandardCharsets.UTF_8));
    }

    private static Ingested decode(byte[] line) {
        return DECODER.json(line, new DeadLetters.Origin("test", 1, null));
    }

    private static String with(String fields) {
        return VALID.substring(0, VALID.length() - 1) + "," + fields + "}";
    }

    private static List<Ingested> lines(byte[] file) throws Exception {
        List<Ingested> records = new ArrayList<>();
        try (LineReader reader = new LineReader(new ByteArrayInputStream(file), 65_536, 1)) {
            RawRecord record;
            while ((record = reader.next()) != null) {
                records.add(DECODER.json(record, new DeadLetters.Origin("file", reader.lineNumber(), null)));
            }
        }
        return records;
    }

    @Test
    void aRecordThatIsNotValidUtf8IsRefusedAndShownWithReplacementCharacters() {
        byte[] line = with("\"batch\":\"B\u0001\"").getBytes(StandardCharsets.UTF_8);
        line[line.length - 4] = (byte) 0xff;
        DeadLetter letter = decode(line).getDeadLetter();
        assertThat(letter.getReason()).isEqualTo("invalid UTF-8");
        assertThat(letter.getRaw()).contains("\uFFFD");
        assertThat(letter.getRawSha256()).isEqualTo(HexFormat.of().formatHex(RawRecord.newSha256().digest(line)));
    }

    @Test
    void digitsOtherThanAsciiMakeEventTimeMalformedAndExpiryDateAbsent() {
        assertThat(decode(VALID.replace("08:30:00+08:00", "08:30:00.\u0661+08:00")).getDeadLetter().getReason())
                .startsWith("malformed event_time");
        assertThat(decode(VALID.replace("2026-03-02", "\uff12\uff10\uff12\uff16-03-02")).getDeadLetter().getReason())
                .startsWith("malformed event_time");
        Ingested expiry = decode(with("\"expiry_date\":\"\uff12\uff10\uff12\uff18-01-31\""));
        assertThat(expiry.getEvent()).isNotNull();
        assertThat(expiry.getEvent().getExpiryDate()).isNull();
        assertThat(expiry.getInvalidOptionalFields()).isEqualTo(1);
        assertThat(decode(with("\"region\":\"\uff11\uff12\uff10\uff11\uff10\uff11\"")).getEvent().getRegion()).isNull();
    }

    @Test
    void anEventTimeOutsideTheYears1970To9999IsMalformed() {
        assertThat(decode(VALID.replace("2026-03-02T08:30:00+08:00", "+10000-01-01T00:00:00Z")).getDeadLetter()).isNotNull();
        assertThat(decode(VALID.replace("2026-03-02T08:30:00+08:00", "1969-12-31T23:59:59Z")).getDeadLetter()).isNotNull();
        assertThat(decode(VALID.replace("2026-03-02T08:30:00+08:00", "9999-12-31T23:59:59Z")).getEvent()).isNotNull();
    }

    @Test
    void nanAndInfinityAreInvalidJsonAndNumbersOutOfRangeAreInvalidValues() {
        assertThat(decode(with("\"lat\":NaN,\"lon\":117.2")).getDeadLetter().getReason()).isEqualTo("invalid JSON");
        Ingested huge = decode(with("\"pack_size\":1e400,\"lat\":1e400,\"lon\":117.2,\"quantity\":-0"));
        assertThat(huge.getEvent().getPackSize()).isNull();
        assertThat(huge.getEvent().getLat()).isNull();
        assertThat(huge.getEvent().getQuantity()).isNull();
        assertThat(huge.getInvalidOptionalFields()).isEqualTo(3);
    }

    @Test
    void aRecordOverTheSizeLimitIsRefusedUnparsedWithItsLengthAndDigest() throws Exception {
        String line = with("\"batch\":\"" + "x".repeat(70_000) + "\"");
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        for (Ingested record : List.of(decode(bytes), lines((line + "\r\n").getBytes(StandardCharsets.UTF_8)).get(0))) {
            DeadLetter letter = record.getDeadLetter();
            assertThat(letter.getReason()).startsWith("record too large");
            assertThat(letter.getRawBytes()).isEqualTo(bytes.length);
            assertThat(letter.getRawTruncated()).isTrue();
            assertThat(letter.getRaw().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(DeadLetters.RAW_LIMIT_BYTES);
            assertThat(letter.getRawSha256()).isEqualTo(HexFormat.of().formatHex(RawRecord.newSha256().digest(bytes)));
        }
    }

    @Test
    void aFieldOverTheStringLimitIsInvalidAbsentWhenOptionalAndRefusedWhenRequired() {
        String long1025 = "\u6279".repeat(1025);
        Ingested batch = decode(with("\"batch\":\"" + long1025 + "\""));
        assertThat(batch.getEvent().getBatch()).isNull();
        assertThat(batch.getInvalidOptionalFields()).isEqualTo(1);
        assertThat(decode(with("\"batch\":\"" + "\u6279".repeat(1024) + "\"")).getEvent().getBatch()).hasSize(1024);
        assertThat(decode(VALID.replace("MF-120113-0002", long1025)).getDeadLetter().getReason()).startsWith("invalid party_id");
    }

    @Test
    void nestingDeeperThan32LevelsIsMalformed() {
        String depth32 = "[".repeat(31) + "]".repeat(31);
        String depth33 = "[".repeat(32) + "]".repeat(32);
        assertThat(decode(with("\"extra\":" + depth32)).getEvent()).isNotNull();
        assertThat(decode(with("\"extra\":" + depth33)).getDeadLetter().getReason()).contains("nested deeper than 32");
    }

    @Test
    void onlySpacesTabsAndCarriageReturnsMakeABlankLine() throws Exception {
        List<Ingested> records = lines((VALID + "\n \t\r\n\f\n\u00a0\n" + VALID.replace("h-1", "h-2")).getBytes(StandardCharsets.UTF_8));
        assertThat(records).extracting(r -> r.getArrival()).containsExactly(1L, 3L, 4L, 5L);
        assertThat(records.get(1).getDeadLetter()).isNotNull();
        assertThat(records.get(2).getDeadLetter()).isNotNull();
        assertThat(records.get(3).getEvent().getEventId()).isEqualTo("h-2");
    }

    @Test
    void theDeadLetterOfARecordThatParsesRedactsPatientRef() {
        DeadLetter letter = decode(VALID.replace("COMMISSION", "RECALL").replace("}", ",\"patient_ref\":\"P-12345\"}")).getDeadLetter();
        assertThat(letter.getRaw()).doesNotContain("P-12345").contains("\"patient_ref\":\"<redacted>\"");
        DeadLetter broken = decode("{\"patient_ref\":\"P-12345\",\"code\":").getDeadLetter();
        assertThat(broken.getRaw()).doesNotContain("P-12345");
    }

    @Test
    void aValidEventsPatientRefIsDroppedWithoutAKeyAndPseudonymisedWithOne() {
        String line = with("\"patient_ref\":\"P-12345\"");
        assertThat(decode(line).getEvent().getPatientRef()).isNull();
        ScanDecoder keyed = new ScanDecoder(65_536, PatientRefs.keyed("0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8)));
        String pseudonym = keyed.json(line.getBytes(StandardCharsets.UTF_8), new DeadLetters.Origin("t", 1, null)).getEvent().getPatientRef();
        assertThat(pseudonym).startsWith("hmac:").doesNotContain("12345");
        assertThat(keyed.json(line.getBytes(StandardCharsets.UTF_8), new DeadLetters.Origin("t", 2, null)).getEvent().getPatientRef())
                .isEqualTo(pseudonym);
    }
}
