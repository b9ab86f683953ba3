package io.tracewatch.io.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracewatch.io.codec.ScanEventJson;
import io.tracewatch.model.EventType;
import io.tracewatch.model.PartyType;
import io.tracewatch.model.ScanEvent;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScanEventJsonTest {
    private static final String CONTRACT_EXAMPLE = "{\"event_id\":\"e-000017\",\"code\":\"81234560000000123456\",\"event_type\":\"RECEIVE\","
            + "\"event_time\":\"2026-03-02T09:15:00+08:00\",\"party_id\":\"PH-120101-0042\",\"party_type\":\"PHARMACY\","
            + "\"region\":\"120101\",\"lat\":39.117,\"lon\":117.21,\"counterparty_id\":\"DS-120000-0007\",\"product_code\":\"8123456\","
            + "\"batch\":\"B2603\",\"expiry_date\":\"2028-02-29\",\"pack_size\":24}";

    private static String with(String field, String json) {
        return CONTRACT_EXAMPLE.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[^,}]*)", json == null ? "" : "\"" + field + "\":" + json)
                .replace(",,", ",").replace("{,", "{").replace(",}", "}");
    }

    @Test
    void decodesTheContractExample() {
        ScanEventJson.Decoded decoded = ScanEventJson.decode(CONTRACT_EXAMPLE);
        ScanEvent event = decoded.event();
        assertThat(decoded.error()).isNull();
        assertThat(decoded.invalidOptionalFields()).isZero();
        assertThat(event.getEventType()).isEqualTo(EventType.RECEIVE);
        assertThat(event.getPartyType()).isEqualTo(PartyType.PHARMACY);
        assertThat(event.getEventTime()).isEqualTo(Instant.parse("2026-03-02T01:15:00Z"));
        assertThat(event.getEventTimeOffsetS()).isEqualTo(8 * 3600);
        assertThat(event.getExpiryDate()).isEqualTo(LocalDate.of(2028, 2, 29));
        assertThat(event.getPackSize()).isEqualTo(24);
        assertThat(event.getLat()).isEqualTo(39.117);
        assertThat(event.getQuantity()).isNull();
    }

    @Test
    void encodingAndDecodingGiveBackTheSameEventAndTheSiteOffset() {
        ScanEvent event = ScanEventJson.decode(CONTRACT_EXAMPLE).event();
        String encoded = ScanEventJson.encode(event);
        assertThat(encoded).contains("\"event_time\":\"2026-03-02T09:15:00+08:00\"");
        assertThat(ScanEventJson.decode(encoded).event()).isEqualTo(event);
    }

    @Test
    void fractionalSecondsAndUtcAreKept() {
        ScanEvent event = ScanEventJson.decode(with("event_time", "\"2026-03-06T03:00:00.250Z\"")).event();
        assertThat(event.getEventTime()).isEqualTo(Instant.parse("2026-03-06T03:00:00.250Z"));
        assertThat(ScanEventJson.encode(event)).contains("\"2026-03-06T03:00:00.25Z\"");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"event_id\":\"x\",|invalid JSON",
        "[1,2]|invalid JSON: not an object",
        "{} {}|invalid JSON: more than one value on the line",
    })
    void refusesWhatIsNotOneJsonObject(String line, String reason) {
        assertThat(ScanEventJson.decode(line).error()).isEqualTo(reason);
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "ABSENT", value = {
        "event_id|ABSENT|missing event_id",
        "event_id|null|missing event_id",
        "event_id|17|event_id must be a string",
        "event_id|\"\"|invalid event_id: must be 1-128 characters",
        "code|ABSENT|missing code",
        "code|\"123\"|invalid code 123: must be 8-64 characters of [0-9A-Za-z]",
        "code|\"8123456000-0000123456\"|invalid code 8123456000-0000123456: must be 8-64 characters of [0-9A-Za-z]",
        "event_type|\"RECALL\"|unknown event_type RECALL",
        "event_type|\"sell\"|unknown event_type sell",
        "event_time|\"2026-03-06T18:20:00\"|malformed event_time (no offset)",
        "event_time|\"yesterday\"|malformed event_time yesterday: not an ISO-8601 instant with offset",
        "event_time|1772323279|event_time must be a string",
        "event_time|\"1900-01-01T00:00:00Z\"|event_time 1900-01-01T00:00:00Z out of range (years 1970-9999)",
        "party_id|ABSENT|missing party_id",
        "party_id|\" \"|invalid party_id: empty",
        "party_type|\"PATIENT\"|unknown party_type PATIENT",
    })
    void refusesAMissingOrInvalidRequiredFieldWithTheReason(String field, String value, String reason) {
        ScanEventJson.Decoded decoded = ScanEventJson.decode(with(field, value));
        assertThat(decoded.event()).isNull();
        assertThat(decoded.error()).isEqualTo(reason);
    }

    @Test
    void keepsTheIdsOfARefusedRecordForTheDeadLetter() {
        ScanEventJson.Decoded decoded = ScanEventJson.decode(with("event_type", "\"RECALL\""));
        assertThat(decoded.eventId()).isEqualTo("e-000017");
        assertThat(decoded.code()).isEqualTo("81234560000000123456");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "lat|300", "lat|\"39.1\"", "lon|-181", "region|\"12010\"", "region|120101",
        "expiry_date|\"2028-02-30\"", "expiry_date|\"28-02-2028\"", "pack_size|0", "pack_size|2.5", "pack_size|\"24\"",
        "counterparty_id|42",
    })
    void readsAnInvalidOptionalFieldAsAbsentAndCountsIt(String field, String value) {
        ScanEventJson.Decoded decoded = ScanEventJson.decode(with(field, value));
        assertThat(decoded.error()).isNull();
        assertThat(decoded.invalidOptionalFields()).isEqualTo(1);
        ScanEvent event = decoded.event();
        switch (field) {
            case "lat", "lon" -> {
                assertThat(event.getLat()).isNull();
                assertThat(event.getLon()).isNull();
            }
            case "region" -> assertThat(event.getRegion()).isNull();
            case "expiry_date" -> assertThat(event.getExpiryDate()).isNull();
            case "pack_size" -> assertThat(event.getPackSize()).isNull();
            default -> assertThat(event.getCounterpartyId()).isNull();
        }
    }

    @Test
    void nullAndUnknownFieldsAreNotErrors() {
        ScanEventJson.Decoded decoded = ScanEventJson.decode(with("batch", "null").replace("}", ",\"uploader\":{\"v\":2}}"));
        assertThat(decoded.error()).isNull();
        assertThat(decoded.invalidOptionalFields()).isZero();
        assertThat(decoded.event().getBatch()).isNull();
    }

    @Test
    void theContentFingerprintIsEqualExactlyForEqualJsonValues() {
        long original = ScanEventJson.decode(CONTRACT_EXAMPLE).content();
        String reordered = "{\"pack_size\":24," + CONTRACT_EXAMPLE.substring(1).replace(",\"pack_size\":24", "");
        assertThat(ScanEventJson.decode(reordered).content()).isEqualTo(original);
        assertThat(ScanEventJson.decode(with("pack_size", "24.0")).content()).isEqualTo(original);
        assertThat(ScanEventJson.decode(with("pack_size", "2.4e1")).content()).isEqualTo(original);
        assertThat(ScanEventJson.decode(CONTRACT_EXAMPLE.replace("{", "{ ").replace(",", " , ")).content()).isEqualTo(original);

        assertThat(ScanEventJson.decode(with("pack_size", "25")).content()).isNotEqualTo(original);
        assertThat(ScanEventJson.decode(with("pack_size", "\"24\"")).content()).isNotEqualTo(original);
        assertThat(ScanEventJson.decode(CONTRACT_EXAMPLE.replace("}", ",\"note\":\"x\"}")).content()).isNotEqualTo(original);
        assertThat(ScanEventJson.decode(CONTRACT_EXAMPLE.replace("}", ",\"quantity\":null}")).content()).isNotEqualTo(original);
        assertThat(ScanEventJson.decode(with("lat", "300")).content()).isNotEqualTo(ScanEventJson.decode(with("lat", "301")).content());
        assertThat(ScanEventJson.decode(CONTRACT_EXAMPLE.replace("}", ",\"extra\":{\"a\":[1,2]}}")).content())
                .isEqualTo(ScanEventJson.decode(CONTRACT_EXAMPLE.replace("}", ",\"extra\":{\"a\":[1.0,2]}}")).content())
                .isNotEqualTo(ScanEventJson.decode(CONTRACT_EXAMPLE.replace("}", ",\"extra\":{\"a\":[2,1]}}")).content());
    }

    @Test
    void integralNumbersAreAcceptedAsIntegers() {
        assertThat(ScanEventJson.decode(with("pack_size", "24.0")).event().getPackSize()).isEqualTo(24);
    }
}
