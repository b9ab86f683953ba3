package io.tracewatch.io.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracewatch.io.codec.Times;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimesTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "2026-03-02T09:15:00+08:00", "2026-03-06T03:00:00.250Z", "2026-03-06T03:00:00.123456789-05:30",
        "2024-02-29T23:59:59Z", "2026-12-31T00:00:00.1+14:00", "2026-03-02T09:15+08:00", "2026-03-02T09:15:00+08:00:30",
    })
    void readsTimestampsAsTheStandardFormatterDoes(String text) {
        assertThat(Times.parseOffsetDateTime(text)).isEqualTo(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-03-02T09:15:00", "2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-03-02T24:00:00Z",
        "2026-03-02 09:15:00Z", "2026-03-02T09:15:00+0800", "yesterday",
    })
    void refusesWhatTheStandardFormatterRefuses(String text) {
        assertThatThrownBy(() -> Times.parseOffsetDateTime(text)).isInstanceOf(DateTimeParseException.class);
    }
}
