package io.tracewatch.io;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Timestamps as the contract writes them: ISO-8601 instants with the offset the site used. */
public final class Times {
    private static final DateTimeFormatter LOCAL_MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private Times() {}

    /** Instants keep microseconds, the precision of the Avro form, so decoded and stored events compare equal. */
    public static Instant toMicros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    public static String iso(Instant instant, int offsetSeconds) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.ofTotalSeconds(offsetSeconds))
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    public static String isoUtc(Instant instant) {
        return iso(instant, 0);
    }

    /** Date and minute as the site's clock showed them, for sentences a case handler reads. */
    public static String localMinute(Instant instant, int offsetSeconds) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.ofTotalSeconds(offsetSeconds)).format(LOCAL_MINUTE);
    }

    public static long epochMillis(LocalDate date) {
        return date.toEpochDay() * 86_400_000L;
    }

    public static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }
}
