package io.tracewatch.feed;

import io.tracewatch.model.Alert;
import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.ScanEvent;
import java.util.function.Predicate;

/**
 * Who sees what (cases.md): an alert or a case is visible to a token one of whose region prefixes
 * covers a region it involves, its trigger's or any event's of its evidence. A filter that asks for
 * a region outside the token's is refused.
 */
final class Visibility {
    private Visibility() {}

    /** Whether an alert is visible to a scope: the region of its trigger or of any event of its evidence is covered. */
    static boolean visible(AccessTokens.Scope scope, Alert alert) {
        if (scope.covers(alert.getRegion())) {
            return true;
        }
        for (ScanEvent event : alert.getEvidence()) {
            if (scope.covers(event.getRegion())) {
                return true;
            }
        }
        return false;
    }

    /** Whether a case is visible: one of its alerts is, which is its regions. */
    static boolean visible(AccessTokens.Scope scope, CaseRecord record) {
        return scope.covers(record.getRegion()) || scope.coversAny(record.getRegions());
    }

    /** What this reader may see under this filter; refuses a region filter outside the reader's regions. */
    static Predicate<Alert> visible(AccessTokens.Scope scope, AlertFilter filter) {
        checkRegion(scope, filter.regionPrefix());
        return alert -> visible(scope, alert) && filter.matches(alert);
    }

    /** Refuses a region filter outside the reader's regions; no filter (null) is every region it may see. */
    static void checkRegion(AccessTokens.Scope scope, String regionPrefix) {
        if (regionPrefix != null && !scope.coversPrefix(regionPrefix)) {
            throw new OutsideScope(regionPrefix);
        }
    }

    /** A request for a region outside the token's: 403. */
    static final class OutsideScope extends RuntimeException {
        OutsideScope(String region) {
            super("region " + region + " is outside this token's regions");
        }
    }
}
