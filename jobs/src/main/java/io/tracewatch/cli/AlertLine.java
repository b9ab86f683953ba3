package io.tracewatch.cli;

import io.tracewatch.model.Alert;
import java.util.Locale;

/** One readable terminal line per alert record: status, rule, severity, code, party, explanation. */
final class AlertLine {
    private AlertLine() {}

    static String format(Alert alert, double secondsSinceStart) {
        return String.format(Locale.ROOT, "[%6.1fs] %-9s %-20s %-8s %s %s: %s",
                secondsSinceStart,
                alert.getStatus(),
                alert.getRule(),
                alert.getSeverity(),
                alert.getCode(),
                alert.getPartyId(),
                alert.getExplanation());
    }
}
