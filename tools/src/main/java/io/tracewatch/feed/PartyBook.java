package io.tracewatch.feed;

import io.tracewatch.model.PartyRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The party register as the parties topic holds it: each party's versions, for the names, statuses and licences the pages show. */
public final class PartyBook {
    private final Map<String, List<PartyRecord>> versions = new HashMap<>();

    public synchronized void apply(PartyRecord record) {
        List<PartyRecord> list = versions.computeIfAbsent(record.getPartyId(), p -> new ArrayList<>());
        list.removeIf(v -> v.getVersionTime().equals(record.getVersionTime()));
        list.add(record);
        list.sort(Comparator.comparing(PartyRecord::getVersionTime));
    }

    /** The version that applies at {@code at}, or null. */
    public synchronized PartyRecord at(String partyId, Instant at) {
        PartyRecord found = null;
        for (PartyRecord version : versions.getOrDefault(partyId, List.of())) {
            if (version.getVersionTime().isAfter(at)) {
                break;
            }
            found = version;
        }
        return found;
    }

    public synchronized int size() {
        return versions.size();
    }
}
