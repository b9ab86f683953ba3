package io.tracewatch.feed;

import io.tracewatch.model.AlertStatus;
import io.tracewatch.model.Lead;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The leads sent to insurance, as the leads topic last wrote them: the latest record per lead_id. */
public final class LeadBook {
    private final Map<String, Lead> leads = new LinkedHashMap<>();

    public synchronized void apply(Lead lead) {
        leads.put(lead.getLeadId(), lead);
    }

    /** The leads of one case, withdrawn ones included (marked RETRACTED). */
    public synchronized List<Lead> ofCase(String caseId) {
        List<Lead> found = new ArrayList<>();
        for (Lead lead : leads.values()) {
            if (lead.getCaseId().equals(caseId)) {
                found.add(lead);
            }
        }
        return found;
    }

    public synchronized long standing() {
        return leads.values().stream().filter(l -> l.getStatus() == AlertStatus.RAISED).count();
    }
}
