package io.tracewatch.feed;

import io.tracewatch.model.Alert;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;

/**
 * Which alerts a person wants to see; every field is optional. Shared by the HTTP API and the
 * {@code tail} command.
 *
 * @param cause a duplicate sale's cause (lifecycle.md)
 * @param regionPrefix administrative division code or a prefix of one, e.g. "1201" for Tianjin
 * @param from inclusive lower bound on the trigger's event time
 * @param to exclusive upper bound on the trigger's event time
 */
public record AlertFilter(
        String rule, String cause, String severity, String regionPrefix, String party, String code, Instant from, Instant to) {

    public static final AlertFilter ALL = new AlertFilter(null, null, null, null, null, null, null, null);

    /** Reads a filter from named parameters; a bad value is an {@link IllegalArgumentException} naming it. */
    public static AlertFilter from(Function<String, String> parameter) {
        return new AlertFilter(
                choice(parameter.apply("rule"), "rule", io.tracewatch.rules.RuleId.class),
                choice(parameter.apply("cause"), "cause", io.tracewatch.rules.DuplicateCause.class),
                choice(parameter.apply("severity"), "severity", io.tracewatch.model.Severity.class),
                blankAsNull(parameter.apply("region")),
                blankAsNull(parameter.apply("party")),
                blankAsNull(parameter.apply("code")),
                instant(parameter.apply("from"), "from"),
                instant(parameter.apply("to"), "to"));
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** One of an enum's names (any case), or null for blank; anything else is refused with the valid names. */
    static <E extends Enum<E>> String choice(String value, String name, Class<E> type) {
        String text = blankAsNull(value);
        if (text == null) {
            return null;
        }
        String upper = text.toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(upper)) {
                return upper;
            }
        }
        throw new IllegalArgumentException(name + " must be one of " + java.util.Arrays.stream(type.getEnumConstants())
                .map(Enum::name).collect(java.util.stream.Collectors.joining(", ")) + "; got '" + text + "'");
    }

    /** An ISO-8601 instant or epoch millis; null for blank; a bad value is an {@link IllegalArgumentException} naming it. */
    public static Instant instant(String value, String name) {
        String text = blankAsNull(value);
        if (text == null) {
            return null;
        }
        try {
            return text.matches("[0-9]+") ? Instant.ofEpochMilli(Long.parseLong(text)) : Instant.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": '" + text + "' is neither an ISO-8601 instant nor epoch millis");
        }
    }

    public boolean matches(Alert alert) {
        return (rule == null || rule.equals(alert.getRule()))
                && (cause == null || cause.equals(alert.getCause()))
                && (severity == null || severity.equals(alert.getSeverity().name()))
                && (regionPrefix == null || (alert.getRegion() != null && alert.getRegion().startsWith(regionPrefix)))
                && (party == null || party.equals(alert.getPartyId()))
                && (code == null || code.equals(alert.getCode()))
                && (from == null || !alert.getEventTime().isBefore(from))
                && (to == null || alert.getEventTime().isBefore(to));
    }
}
