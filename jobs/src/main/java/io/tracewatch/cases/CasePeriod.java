package io.tracewatch.cases;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;

/**
 * The period of a case (contract cases.md, "Case key and membership"): the calendar month, ISO
 * week or day of the trigger's event_time in China Standard Time (UTC+08:00).
 */
public enum CasePeriod {
    MONTH, WEEK, DAY;

    /** China Standard Time, the zone every period is counted in. */
    public static final ZoneOffset CST = ZoneOffset.ofHours(8);

    /** The period of an instant, e.g. {@code 2026-03}, {@code 2026-W09}, {@code 2026-03-02}. */
    public String of(Instant instant) {
        LocalDate date = instant.atOffset(CST).toLocalDate();
        return switch (this) {
            case MONTH -> String.format("%04d-%02d", date.getYear(), date.getMonthValue());
            case WEEK -> String.format("%04d-W%02d", date.get(IsoFields.WEEK_BASED_YEAR), date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case DAY -> date.format(DateTimeFormatter.ISO_LOCAL_DATE);
        };
    }
}
