package io.tracewatch.feed;

import io.tracewatch.model.CaseRecord;
import io.tracewatch.model.CaseStatus;
import io.tracewatch.model.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The cases as the cases topic last wrote them: for each case_id the highest version. The default
 * order is the regulator's: open cases first (OPEN and INVESTIGATING), by severity, then by alert
 * count, newest last event first.
 */
public final class CaseBoard {
    /** Open cases first, then by severity, alert count and last event. */
    public static final Comparator<CaseRecord> WORK_ORDER = Comparator
            .comparing((CaseRecord c) -> !open(c))
            .thenComparing((CaseRecord c) -> c.getSeverity() == null ? -1 : c.getSeverity().ordinal(), Comparator.reverseOrder())
            .thenComparing(CaseRecord::getAlertCount, Comparator.reverseOrder())
            .thenComparing(c -> c.getLastEventTime() == null ? java.time.Instant.EPOCH : c.getLastEventTime(), Comparator.reverseOrder())
            .thenComparing(CaseRecord::getCaseId);

    private final Map<String, CaseRecord> cases = new HashMap<>();
    private final List<Consumer<CaseRecord>> listeners = new CopyOnWriteArrayList<>();

    public static boolean open(CaseRecord record) {
        return record.getStatus() == CaseStatus.OPEN || record.getStatus() == CaseStatus.INVESTIGATING;
    }

    public void apply(CaseRecord record) {
        synchronized (this) {
            CaseRecord held = cases.get(record.getCaseId());
            if (held != null && held.getVersion() >= record.getVersion()) {
                return;
            }
            cases.put(record.getCaseId(), record);
        }
        listeners.forEach(listener -> listener.accept(record));
    }

    public synchronized CaseRecord get(String caseId) {
        return cases.get(caseId);
    }

    /** The cases that match, in work order; WITHDRAWN ones only when asked for. */
    public synchronized List<CaseRecord> matching(Predicate<CaseRecord> filter) {
        List<CaseRecord> found = new ArrayList<>();
        for (CaseRecord record : cases.values()) {
            if (filter.test(record)) {
                found.add(record);
            }
        }
        found.sort(WORK_ORDER);
        return found;
    }

    /** The party's most recent case record, whose grade is the party's latest. */
    public synchronized CaseRecord latestOfParty(String partyId, Predicate<CaseRecord> visible) {
        CaseRecord latest = null;
        for (CaseRecord record : cases.values()) {
            if (record.getPartyId().equals(partyId) && visible.test(record)
                    && (latest == null || record.getUpdatedAt().isAfter(latest.getUpdatedAt()))) {
                latest = record;
            }
        }
        return latest;
    }

    /** Cases of a party, counted by status. */
    public synchronized Map<String, Integer> statusCounts(String partyId, Predicate<CaseRecord> visible) {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (CaseRecord record : cases.values()) {
            if (record.getPartyId().equals(partyId) && visible.test(record)) {
                String key = record.getStatus() == CaseStatus.CLOSED ? "CLOSED_" + record.getDisposition() : record.getStatus().name();
                counts.merge(key, 1, Integer::sum);
            }
        }
        return counts;
    }

    public void listen(Consumer<CaseRecord> listener) {
        listeners.add(listener);
    }

    public void unlisten(Consumer<CaseRecord> listener) {
        listeners.remove(listener);
    }

    /** Severity names, highest first, as the page offers them. */
    static List<String> severities() {
        List<String> names = new ArrayList<>();
        for (int i = Severity.values().length - 1; i >= 0; i--) {
            names.add(Severity.values()[i].name());
        }
        return names;
    }
}
