package io.tracewatch.cli;

import io.tracewatch.model.Alert;
import java.util.Locale;

/** One readable terminal line per alert record: status, rule, severity, code, party, explanation. */
final class AlertLine {
    private AlertLine() {}

    /** @param language the explanation's: Chinese when the alert has one, else English */
    static String format(Alert alert, double secondsSinceStart, Language language) {
        String explanation = language == Language.ZH && !alert.getExplanationZh().isEmpty() ? alert.getExplanationZh() : alert.getExplanation();
        return String.format(Locale.ROOT, "[%6.1fs] %-9s %-20s %-8s %s %s: %s",
                secondsSinceStart,
                alert.getStatus(),
                alert.getRule(),
                alert.getSeverity(),
                Terminal.safe(alert.getCode()),
                Terminal.safe(alert.getPartyId()),
                Terminal.safe(explanation));
    }

    /** One line per case record: status, severity, case, alerts and codes, rules, grade. */
    static String format(io.tracewatch.model.CaseRecord record) {
        return String.format(Locale.ROOT, "%-13s %-8s %s v%d: %s on %s %s, grade %s%s",
                record.getStatus() + (record.getDisposition() == null ? "" : "/" + record.getDisposition()),
                record.getSeverity() == null ? "-" : record.getSeverity(),
                Terminal.safe(record.getCaseId()), record.getVersion(), Terminal.count(record.getAlertCount(), "alert"),
                Terminal.count(record.getCodeCount(), "code"), record.getRules(),
                record.getGrade() == null ? "-" : record.getGrade(), record.getRegion() == null ? "" : " region " + record.getRegion());
    }

    /** One line per lead: status, rule, code, flagged party, what insurance settled, the case. */
    static String format(io.tracewatch.model.Lead lead) {
        StringBuilder settled = new StringBuilder();
        lead.getSettled().forEach(s -> settled.append(settled.length() == 0 ? "" : "; ").append(Terminal.safe(s.getPartyId())).append(' ')
                .append(s.getEventType()).append(s.getTransactionId() == null ? "" : " " + Terminal.safe(s.getTransactionId())));
        return String.format(Locale.ROOT, "%-9s %-20s %s flagged %s, settled [%s], %s, case %s",
                lead.getStatus(), lead.getRule(), Terminal.safe(lead.getCode()), Terminal.safe(lead.getFlaggedPartyId()), settled,
                Terminal.count(lead.getConsumptions(), "consumption"), Terminal.safe(lead.getCaseId()));
    }
}
