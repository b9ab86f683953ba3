package io.tracewatch.io.codec;

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

    /**
     * Parses an ISO-8601 timestamp with offset, e.g. {@code 2026-03-02T09:15:00+08:00} or
     * {@code 2026-03-06T03:00:00.250Z}. The usual shapes are read by hand, as this runs once per
     * scan; anything else goes to {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}.
     *
     * @throws java.time.format.DateTimeParseException when it is not such a timestamp
     */
    public static OffsetDateTime parseOffsetDateTime(String text) {
        OffsetDateTime fast = parseCommonShape(text);
        return fast != null ? fast : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f…](Z|±HH:MM)}, or null when the text has another shape or impossible values. */
    private static OffsetDateTime parseCommonShape(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int year = asciiNumber(t, 0, 4);
        int month = asciiNumber(t, 5, 2);
        int day = asciiNumber(t, 8, 2);
        int hour = asciiNumber(t, 11, 2);
        int minute = asciiNumber(t, 14, 2);
        int second = asciiNumber(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1 || day > 31
                || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9' && i - start < 9) {
                nanos = nanos * 10 + (t.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offset;
        if (i == n - 1 && t.charAt(i) == 'Z') {
            offset = 0;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int oh = asciiNumber(t, i + 1, 2);
            int om = asciiNumber(t, i + 4, 2);
            if ((oh | om) < 0 || oh > 18 || om > 59) {
                return null;
            }
            offset = (t.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return null;
        }
        return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, ZoneOffset.ofTotalSeconds(offset));
    }

    /** Whether every character is ASCII: timestamps and dates are, and no other digit may pass (contract v1.1). */
    static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** The decimal number in {@code count} characters from {@code from}, or -1 if one is not an ASCII digit. */
    static int asciiNumber(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    public static long epochMillis(LocalDate date) {
        return date.toEpochDay() * 86_400_000L;
    }

    public static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    public static Instant ofEpochMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }
}
